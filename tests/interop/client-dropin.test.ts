// Drop-in points of issue 16 on the client, each run against socket.io-client 4.8 first (proving the expectation)
// and then @switchboard/client, with the official socket.io 4.8 server: the engine's `data` event, Node binary as
// Buffer, transportOptions, perMessageDeflate, transports given as classes, useNativeTimers and fake timers.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import FakeTimers from '@sinonjs/fake-timers';
import * as official from 'socket.io-client';
import * as ours from '@switchboard/client';
import { startOfficialServer, type OfficialServer } from './client-support.js';

// Fake timers replace the globals: the test's own waits keep the real ones.
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;
const realSetInterval = globalThis.setInterval;
const realClearInterval = globalThis.clearInterval;

/** The part of a client socket these tests use, shared by both implementations. */
interface TestSocket {
  id: string | undefined;
  connected: boolean;
  on(event: string, listener: (...args: never[]) => void): unknown;
  once(event: string, listener: (...args: never[]) => void): unknown;
  emitWithAck(event: string, ...args: unknown[]): Promise<unknown>;
  timeout(ms: number): { emitWithAck(event: string, ...args: unknown[]): Promise<unknown> };
  disconnect(): unknown;
  io: {
    on(event: string, listener: (...args: never[]) => void): unknown;
    engine: {
      on(event: string, listener: (...args: never[]) => void): unknown;
      once(event: string, listener: (...args: never[]) => void): unknown;
      transport: { name: string };
    };
  };
}
type TestIo = (url: string, opts?: object) => TestSocket;

const CLIENTS = [
  {
    name: 'socket.io-client 4.8',
    io: official.io as unknown as TestIo,
    WebSocket: official.NodeWebSocket,
    XHR: official.NodeXHR,
  },
  { name: '@switchboard/client', io: ours.io as unknown as TestIo, WebSocket: ours.NodeWebSocket, XHR: ours.NodeXHR },
] as const;

/** Resolves with the arguments of the next `event`; rejects after `timeoutMs` of real time. */
function next(
  target: { once(event: string, listener: (...args: never[]) => void): unknown },
  event: string,
  timeoutMs = 4000,
): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const timer = realSetTimeout(() => reject(new Error(`no "${event}" within ${timeoutMs} ms`)), timeoutMs);
    target.once(event, (...args: unknown[]) => {
      realClearTimeout(timer);
      resolve(args);
    });
  });
}

/** Resolves once `predicate` holds, checking every 10 ms of real time. */
async function until(predicate: () => boolean, timeoutMs = 4000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => realSetTimeout(resolve, 10));
  }
}

/** The headers of every Engine.IO request the server saw: polling requests and WebSocket upgrades. */
interface SeenRequest {
  kind: 'polling' | 'upgrade';
  headers: IncomingMessage['headers'];
}

describe('client drop-in options and events', () => {
  let server: OfficialServer;
  const seen: SeenRequest[] = [];
  const sockets: TestSocket[] = [];

  before(async () => {
    server = await startOfficialServer();
    server.http.prependListener('request', (req: IncomingMessage) => {
      if (req.url?.startsWith('/socket.io/')) seen.push({ kind: 'polling', headers: req.headers });
    });
    server.http.prependListener('upgrade', (req: IncomingMessage) =>
      seen.push({ kind: 'upgrade', headers: req.headers }),
    );
    server.io.on('connection', (socket) => {
      socket.on('echo', (value: unknown, ack: (value: unknown) => void) => ack(value));
      socket.on('news please', (ack: () => void) => {
        socket.emit('news', 'text', Buffer.from([1, 2, 3]));
        ack();
      });
      socket.on('drop my connection', () => socket.conn.close());
    });
  });
  after(async () => {
    for (const socket of sockets) socket.disconnect();
    await server.close();
  });

  function connect(client: (typeof CLIENTS)[number], opts: object): TestSocket {
    const socket = client.io(server.url, { forceNew: true, reconnection: false, ...opts });
    sockets.push(socket);
    return socket;
  }

  for (const client of CLIENTS) {
    describe(client.name, () => {
      for (const transport of ['polling', 'websocket'] as const) {
        it(`emits the engine's data event with each message's data over ${transport}, binary as a Node Buffer`, async () => {
          const socket = connect(client, { transports: [transport] });
          await next(socket, 'connect');
          const frames: unknown[] = [];
          socket.io.engine.on('data', (data: unknown) => frames.push(data));
          const news = next(socket, 'news');
          await socket.emitWithAck('news please');
          const [text, bytes] = await news;
          assert.equal(text, 'text');
          assert.ok(Buffer.isBuffer(bytes), 'the listener gets a Buffer');
          assert.deepEqual([...bytes], [1, 2, 3]);
          assert.ok(frames.includes('51-["news","text",{"_placeholder":true,"num":0}]'), JSON.stringify(frames));
          assert.ok(
            frames.some((frame) => Buffer.isBuffer(frame) && frame.equals(Buffer.from([1, 2, 3]))),
            'the attachment frame is a Buffer',
          );
        });
      }

      it('sends transportOptions to their own transport only (extraHeaders for polling, others for the upgrade)', async () => {
        seen.length = 0;
        const socket = connect(client, {
          extraHeaders: { 'x-everywhere': 'yes' },
          transportOptions: {
            polling: { extraHeaders: { 'x-everywhere': 'yes', 'x-transport': 'polling' } },
            websocket: { extraHeaders: { 'x-everywhere': 'yes', 'x-transport': 'websocket' } },
          },
        });
        const upgraded = next(socket.io.engine, 'upgrade');
        await next(socket, 'connect');
        await upgraded;
        const polling = seen.filter((request) => request.kind === 'polling');
        const upgrades = seen.filter((request) => request.kind === 'upgrade');
        assert.ok(
          polling.length >= 1 && upgrades.length === 1,
          `${polling.length} polling requests, ${upgrades.length} upgrades`,
        );
        for (const request of polling) assert.equal(request.headers['x-transport'], 'polling');
        assert.equal(upgrades[0]?.headers['x-transport'], 'websocket');
        assert.equal(upgrades[0]?.headers['x-everywhere'], 'yes');
      });

      it('offers permessage-deflate on the WebSocket by default and not with perMessageDeflate: false', async () => {
        seen.length = 0;
        await next(connect(client, { transports: ['websocket'] }), 'connect');
        await next(connect(client, { transports: ['websocket'], perMessageDeflate: false }), 'connect');
        const offers = seen
          .filter((request) => request.kind === 'upgrade')
          .map((request) => request.headers['sec-websocket-extensions']);
        assert.equal(offers.length, 2);
        assert.match(offers[0] ?? '', /permessage-deflate/);
        assert.equal(offers[1], undefined);
      });

      it('takes transports given as classes: [NodeWebSocket] opens over WebSocket only, [NodeXHR] polls only', async () => {
        seen.length = 0;
        const viaWebSocket = connect(client, { transports: [client.WebSocket] });
        await next(viaWebSocket, 'connect');
        assert.equal(viaWebSocket.io.engine.transport.name, 'websocket');
        assert.deepEqual(
          seen.map((request) => request.kind),
          ['upgrade'],
        );
        seen.length = 0;
        const viaXhr = connect(client, { transports: [client.XHR] });
        await next(viaXhr, 'connect');
        assert.equal(viaXhr.io.engine.transport.name, 'polling');
        assert.equal(await viaXhr.emitWithAck('echo', 7), 7);
        assert.ok(seen.every((request) => request.kind === 'polling'));
      });

      it('with useNativeTimers, times out an ack in real time while fake timers are installed', async () => {
        const clock = FakeTimers.install({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
        try {
          const socket = connect(client, { transports: ['websocket'], useNativeTimers: true });
          await next(socket, 'connect');
          await assert.rejects(socket.timeout(50).emitWithAck('nobody answers'), /operation has timed out/);
        } finally {
          clock.uninstall();
        }
      });

      it('under fake timers, a failed reconnect attempt is followed by further attempts as the clock ticks', async () => {
        const closed = createServer();
        await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
        const port = (closed.address() as AddressInfo).port;
        await new Promise((resolve) => closed.close(resolve));
        // Only this test's client may see the fake clock.
        for (const socket of sockets.splice(0)) socket.disconnect();
        const clock = FakeTimers.install({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
        // The test's clock: 500 fake ms every 5 real ms, so the back-off (1 + 2 + 4 s) passes in a fraction of that.
        const ticker = realSetInterval(() => clock.tick(500), 5);
        const startedAt = Date.now();
        try {
          const socket = client.io(`http://127.0.0.1:${port}`, {
            forceNew: true,
            transports: ['polling'],
            reconnectionAttempts: 3,
            reconnectionDelay: 1000,
            randomizationFactor: 0,
          });
          sockets.push(socket);
          const attempts: number[] = [];
          let errors = 0;
          socket.io.on('reconnect_attempt', (attempt: number) => attempts.push(attempt));
          socket.io.on('reconnect_error', () => errors++);
          await next(socket.io as TestSocket['io'] & { once: TestSocket['once'] }, 'reconnect_failed');
          assert.deepEqual(attempts, [1, 2, 3]);
          assert.equal(errors, 3);
          assert.ok(clock.now >= 7000, `the fake clock drove the back-off (${clock.now} fake ms)`);
          assert.ok(Date.now() - startedAt < 7000, 'faster than the real back-off');
        } finally {
          realClearInterval(ticker);
          clock.uninstall();
        }
      });
    });
  }

  // socket.io-client 4.8 binds the timer functions when its Manager is created (engine.io-client's
  // installTimerFunctions), so a client created under fake timers keeps the uninstalled fake clock and never
  // reconnects; ours reads setTimeout when each timer starts, as issue 16 asks.
  it('@switchboard/client created under fake timers keeps working after they are uninstalled, reconnections included', async () => {
    for (const socket of sockets.splice(0)) socket.disconnect();
    // Date too: the ping deadline is set on the fake clock and read on the real one.
    const clock = FakeTimers.install({
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
    });
    let socket: TestSocket;
    try {
      socket = connect(CLIENTS[1], { reconnection: true, reconnectionDelay: 50, randomizationFactor: 0 });
      await next(socket, 'connect');
    } finally {
      clock.uninstall();
    }
    assert.equal(await socket.timeout(3000).emitWithAck('echo', 'after'), 'after');
    const firstId = socket.id;
    const reconnected = next(socket.io as TestSocket['io'] & { once: TestSocket['once'] }, 'reconnect');
    void socket.emitWithAck('drop my connection').catch(() => {});
    await reconnected;
    await until(() => socket.connected && socket.id !== firstId);
    assert.equal(await socket.timeout(3000).emitWithAck('echo', 'again'), 'again');
  });
});
