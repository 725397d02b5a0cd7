import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { describe, it } from 'node:test';
import WebSocket, { WebSocketServer } from 'ws';
import type { ServerOptions } from '../options.js';
import type { Socket } from '../socket.js';
import { startEngine, until, waitFor } from '../testing/harness.js';
import type { WsServer, WsServerOptions, WsSocket } from './ws-engine.js';

/** A wsEngine that is not ws: it wraps ws's server and hands out its own socket objects, counting sends. */
class WrappingServer implements WsServer {
  static sends = 0;
  readonly #inner: WebSocketServer;

  constructor(options: WsServerOptions) {
    this.#inner = new WebSocketServer(options);
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, callback: (ws: WsSocket) => void): void {
    this.#inner.handleUpgrade(req, socket, head, (ws) => callback(new WrappedSocket(ws)));
  }

  on(event: 'headers', listener: (headers: string[], req: IncomingMessage) => void): this {
    this.#inner.on(event, listener);
    return this;
  }

  close(): void {
    this.#inner.close();
  }
}

class WrappedSocket implements WsSocket {
  readonly #ws: WebSocket;

  constructor(ws: WebSocket) {
    this.#ws = ws;
  }

  get readyState(): number {
    return this.#ws.readyState;
  }

  get extensions(): string {
    return this.#ws.extensions;
  }

  get bufferedAmount(): number {
    return this.#ws.bufferedAmount;
  }

  on(event: 'message' | 'close' | 'error', listener: (this: WsSocket, ...args: never[]) => void): this {
    this.#ws.on(event, (...args: unknown[]) => (listener as (...a: unknown[]) => void).apply(this, args));
    return this;
  }

  send(
    data: string | Uint8Array,
    options: { binary: boolean; compress: boolean },
    callback?: (error?: Error) => void,
  ): void {
    WrappingServer.sends++;
    this.#ws.send(data, options, callback);
  }

  close(): void {
    this.#ws.close();
  }

  terminate(): void {
    this.#ws.terminate();
  }
}

const ROUNDS = 20;
const BURST = 50;
// Mostly small messages (joined into one write), with a few over 64 KiB (written corked) in every burst.
const payloadOf = (n: number): string => (n % 25 === 0 ? `${n}:${'x'.repeat(70_000)}` : `${n}:${'y'.repeat(n % 300)}`);

/**
 * Bursts of messages with the engine's pings and the client's WebSocket-level pings between them, then a close:
 * the client must get every message in order, answer every ping, get its pongs, and a clean close frame.
 */
async function exchange(
  options: ServerOptions,
): Promise<{ messages: number; enginePings: number; wsPongs: number; code: number }> {
  const h = await startEngine({ pingInterval: 15, pingTimeout: 2000, ...options });
  const client = new WebSocket(`ws://127.0.0.1:${h.port}/engine.io/?EIO=4&transport=websocket`);
  let next = 0;
  let enginePings = 0;
  let wsPongs = 0;
  let failure: Error | undefined;
  client.on('pong', () => wsPongs++);
  client.on('error', (error) => (failure = error));
  client.on('message', (data: Buffer) => {
    const text = data.toString();
    if (text === '2') {
      enginePings++;
      client.send('3');
    } else if (text.startsWith('4')) {
      if (text.slice(1) !== payloadOf(next)) failure ??= new Error(`message ${next} out of order`);
      next++;
    }
  });
  try {
    const opened = waitFor(client, 'open');
    const [socket] = await waitFor<[Socket]>(h.engine, 'connection');
    await opened;
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < BURST; i++) socket.send(payloadOf(round * BURST + i));
      client.ping();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    // A ping still in flight when the close frame leaves would go unanswered (ws pongs only while open).
    await until(() => wsPongs === ROUNDS, 5000);
    const closed = waitFor<[number]>(client, 'close', 5000);
    socket.close();
    const [code] = await closed;
    if (failure !== undefined) throw failure;
    return { messages: next, enginePings, wsPongs, code };
  } finally {
    client.terminate();
    await h.close();
  }
}

describe('WebSocket writes under each wsEngine', () => {
  it('writes ws’s own sockets directly, keeping bursts, pings and the close frame in order', async () => {
    const result = await exchange({});
    assert.equal(result.messages, ROUNDS * BURST);
    assert.ok(result.enginePings > 0, 'the engine pinged during the bursts');
    assert.equal(result.wsPongs, ROUNDS);
    assert.equal(result.code, 1005);
  });

  it('goes through send() when wsEngine is not ws, keeping bursts, pings and the close frame in order', async () => {
    WrappingServer.sends = 0;
    const result = await exchange({ wsEngine: WrappingServer });
    assert.equal(result.messages, ROUNDS * BURST);
    assert.ok(result.enginePings > 0, 'the engine pinged during the bursts');
    assert.equal(result.wsPongs, ROUNDS);
    assert.equal(result.code, 1005);
    // The open packet, every message and every ping went through the wrapper's send.
    assert.ok(WrappingServer.sends >= 1 + ROUNDS * BURST + result.enginePings, `${WrappingServer.sends} sends`);
  });
});
