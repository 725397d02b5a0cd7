// Our Engine.IO server against the official engine.io-client v6: polling only, WebSocket only, polling upgraded to
// WebSocket, text and binary both ways in order, and the client's own heartbeat timeout.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Server } from '@switchboard/engine';
import type { Clock, ServerOptions, Socket } from '@switchboard/engine';
import { Socket as ClientSocket } from 'engine.io-client';

const MESSAGES = 20;

interface Running {
  engine: Server;
  http: HttpServer;
  url: string;
  close(): Promise<void>;
}

async function startEngine(options: ServerOptions = {}): Promise<Running> {
  const http = createServer();
  const engine = new Server(options);
  engine.attach(http);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    engine,
    http,
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        engine.close();
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}

function once<T extends unknown[]>(
  target: { once(event: string, fn: (...args: T) => void): unknown },
  event: string,
  timeoutMs = 3000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${event}" within ${timeoutMs} ms`)), timeoutMs);
    target.once(event, (...args: T) => {
      clearTimeout(timer);
      resolve(args);
    });
  });
}

function collect(
  target: { on(event: 'message', fn: (data: unknown) => void): unknown },
  count: number,
  timeoutMs = 3000,
): Promise<unknown[]> {
  const received: unknown[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`got ${received.length}/${count} messages within ${timeoutMs} ms`)),
      timeoutMs,
    );
    target.on('message', (data) => {
      received.push(data);
      if (received.length === count) {
        clearTimeout(timer);
        resolve(received);
      }
    });
  });
}

/** Text and binary alternating, numbered, so order and type are both checked. */
function sequence(prefix: string): Array<string | Buffer> {
  return Array.from({ length: MESSAGES }, (_, i) => (i % 3 === 2 ? Buffer.from([i, 0xff]) : `${prefix}${i}`));
}

function normalise(values: unknown[]): unknown[] {
  return values.map((v) => (typeof v === 'string' ? v : Buffer.from(v as Uint8Array)));
}

for (const [name, transports] of [
  ['polling only', ['polling']],
  ['WebSocket only', ['websocket']],
] as const) {
  describe(`official engine.io-client over ${name}`, () => {
    let running: Running;
    before(async () => {
      running = await startEngine({ pingInterval: 10_000 });
    });
    after(() => running.close());

    it('exchanges text and binary messages both ways in order', async () => {
      const connected = once<[Socket]>(running.engine, 'connection');
      const client = new ClientSocket(running.url, { transports: [...transports], upgrade: false });
      try {
        const [session] = await connected;
        await once(client, 'open');
        assert.equal(session.transport.name, transports[0]);
        const atServer = collect(session, MESSAGES);
        const atClient = collect(client, MESSAGES);
        for (const message of sequence('c')) client.send(message);
        for (const message of sequence('s')) session.send(message);
        assert.deepEqual(normalise(await atServer), sequence('c'));
        assert.deepEqual(normalise(await atClient), sequence('s'));
      } finally {
        client.close();
      }
    });

    it('reports "transport close" on the server when the client closes', async () => {
      const connected = once<[Socket]>(running.engine, 'connection');
      const client = new ClientSocket(running.url, { transports: [...transports], upgrade: false });
      const [session] = await connected;
      await once(client, 'open');
      const closed = once<[string]>(session, 'close');
      client.close();
      assert.equal((await closed)[0], 'transport close');
      assert.equal(running.engine.clientsCount, 0);
    });

    it('closes the client with "transport close" when the server closes the session', async () => {
      const connected = once<[Socket]>(running.engine, 'connection');
      const client = new ClientSocket(running.url, { transports: [...transports], upgrade: false });
      const [session] = await connected;
      await once(client, 'open');
      const closed = once<[string]>(client, 'close');
      session.close();
      assert.equal((await closed)[0], 'transport close');
    });
  });
}

describe('official engine.io-client upgrading from polling to WebSocket', () => {
  let running: Running;
  before(async () => {
    running = await startEngine({ pingInterval: 10_000 });
  });
  after(() => running.close());

  it('upgrades while messages flow both ways, losing and reordering none', async () => {
    const connected = once<[Socket]>(running.engine, 'connection');
    const client = new ClientSocket(running.url);
    try {
      const [session] = await connected;
      const atServer = collect(session, MESSAGES);
      const atClient = collect(client, MESSAGES);
      const upgraded = once(session, 'upgrade');
      const fromServer = sequence('s');
      const fromClient = sequence('c');
      await once(client, 'open');
      // One message per side every 5 ms: the stream spans the probe, the pause and the switch.
      await new Promise<void>((resolve) => {
        let i = 0;
        const timer = setInterval(() => {
          session.send(fromServer[i] as string | Buffer);
          client.send(fromClient[i]);
          if (++i === MESSAGES) {
            clearInterval(timer);
            resolve();
          }
        }, 5);
      });
      await upgraded;
      assert.equal(session.transport.name, 'websocket');
      assert.equal(client.transport.name, 'websocket');
      assert.deepEqual(normalise(await atServer), fromClient);
      assert.deepEqual(normalise(await atClient), fromServer);
    } finally {
      client.close();
    }
  });
});

describe('official engine.io-client heartbeat', () => {
  it('detects "ping timeout" when the server stops pinging', async () => {
    // A clock whose timers never fire: the server announces 100/100 ms but never pings.
    const silentClock: Clock = { now: () => performance.now(), setInterval: () => 0, clearInterval: () => undefined };
    const running = await startEngine({ pingInterval: 100, pingTimeout: 100, clock: silentClock });
    const client = new ClientSocket(running.url, { transports: ['websocket'] });
    try {
      await once(client, 'open');
      const started = Date.now();
      const [reason] = await once<[string]>(client, 'close', 3000);
      assert.equal(reason, 'ping timeout');
      assert.ok(Date.now() - started >= 150, 'the client gave up before pingInterval + pingTimeout');
    } finally {
      client.close();
      await running.close();
    }
  });

  it('stays connected across several heartbeats when the server pings', async () => {
    const running = await startEngine({ pingInterval: 50, pingTimeout: 200 });
    const connected = once<[Socket]>(running.engine, 'connection');
    const client = new ClientSocket(running.url, { transports: ['polling'] });
    try {
      const [session] = await connected;
      for (let i = 0; i < 3; i++) await once(session, 'heartbeat');
      assert.equal(client.readyState, 'open');
    } finally {
      client.close();
      await running.close();
    }
  });
});
