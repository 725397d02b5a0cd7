import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { describe, it } from 'node:test';
import { PreparedMessage } from '../prepared-message.js';
import { Server } from '../server.js';
import type { Socket } from '../socket.js';
import { RawWebSocket, waitFor } from '../testing/harness.js';

/** Counts the chunks handed to the kernel-facing side of a socket: one _writev call is one syscall batch. */
function countWrites(socket: Duplex): { calls: number } {
  const counter = { calls: 0 };
  const target = socket as Duplex & { _write: (...args: unknown[]) => void; _writev?: (...args: unknown[]) => void };
  const write = target._write.bind(socket);
  target._write = (...args: unknown[]) => {
    counter.calls++;
    write(...args);
  };
  const writev = target._writev?.bind(socket);
  if (writev !== undefined) {
    target._writev = (...args: unknown[]) => {
      counter.calls++;
      writev(...args);
    };
  }
  return counter;
}

describe('write coalescing', () => {
  it('writes everything a WebSocket session was sent in one turn with a single socket write', async () => {
    const http = createServer();
    const engine = new Server({ pingInterval: 10_000 });
    let counter = { calls: 0 };
    http.on('upgrade', (req, socket: Duplex, head: Buffer) => {
      counter = countWrites(socket);
      engine.handleUpgrade(req, socket, head);
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const client = new RawWebSocket((http.address() as AddressInfo).port, 'EIO=4&transport=websocket');
    try {
      const [session] = await waitFor<[Socket]>(engine, 'connection');
      await client.next();
      const before = counter.calls;
      const shared = new PreparedMessage('shared');
      for (let i = 0; i < 10; i++) {
        session.send(`m${i}`);
        session.sendPrepared(shared);
      }
      for (let i = 0; i < 10; i++) {
        assert.equal(await client.next(), `4m${i}`);
        assert.equal(await client.next(), '4shared');
      }
      assert.equal(counter.calls - before, 1);
    } finally {
      client.close();
      engine.close();
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    }
  });
});

describe('the batched flush', () => {
  it('still flushes the sessions queued after one whose flush listener throws, and reports the error as uncaught', async () => {
    const http = createServer();
    const engine = new Server({ pingInterval: 10_000 });
    engine.attach(http);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const port = (http.address() as AddressInfo).port;
    const first = new RawWebSocket(port, 'EIO=4&transport=websocket');
    const [firstSession] = await waitFor<[Socket]>(engine, 'connection');
    const second = new RawWebSocket(port, 'EIO=4&transport=websocket');
    const [secondSession] = await waitFor<[Socket]>(engine, 'connection');
    // The test runner's own handlers would turn the rethrown error into this test's failure: set aside meanwhile.
    const runnerHandlers = process.listeners('uncaughtException');
    process.removeAllListeners('uncaughtException');
    try {
      await first.next();
      await second.next();
      const uncaught = new Promise<unknown>((resolve) => process.once('uncaughtException', resolve));
      firstSession.once('flush', () => {
        throw new Error('flush listener failed');
      });
      firstSession.send('to the first');
      secondSession.send('to the second');
      assert.equal(await second.next(), '4to the second');
      const error = await uncaught;
      assert.ok(error instanceof Error);
      assert.equal(error.message, 'flush listener failed');
    } finally {
      process.removeAllListeners('uncaughtException');
      for (const handler of runnerHandlers) process.on('uncaughtException', handler);
      first.close();
      second.close();
      engine.close();
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    }
  });
});
