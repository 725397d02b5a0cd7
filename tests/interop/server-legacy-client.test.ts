// Socket.IO v2 clients (socket.io-client 2.5, Engine.IO v3) against the server with `allowEIO3`, as socket.io v4 allows.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ioV2 from 'socket.io-client-v2';
import type { Socket } from '@switchboard/server';
import { startServer, waitFor, within, type TestServer } from './server-kit.js';

interface LegacySocket {
  id: string;
  connected: boolean;
  on(event: string, listener: (...args: never[]) => void): LegacySocket;
  once(event: string, listener: (...args: never[]) => void): LegacySocket;
  emit(event: string, ...args: unknown[]): LegacySocket;
  close(): void;
}

const connectV2 = ioV2 as unknown as (url: string, opts: Record<string, unknown>) => LegacySocket;

describe('server with Socket.IO v2 clients (allowEIO3)', () => {
  let server: TestServer;
  const clients: LegacySocket[] = [];
  before(async () => {
    server = await startServer({ allowEIO3: true });
  });
  after(async () => {
    for (const client of clients) client.close();
    await server.close();
  });

  function legacy(nsp: string, opts: Record<string, unknown> = {}): LegacySocket {
    const client = connectV2(`${server.url}${nsp}`, { forceNew: true, reconnection: false, ...opts });
    clients.push(client);
    return client;
  }

  for (const transports of [['websocket'], ['polling']]) {
    test(`a v2 client joins / implicitly over ${transports[0]}, with the id it expects, and exchanges acks both ways`, async () => {
      const connected = waitFor<[Socket]>(server.io, 'connection');
      const client = legacy('/', { transports });
      const [socket] = await connected;
      await waitFor(client, 'connect').catch(() => undefined);
      assert.equal(socket.id, client.id);
      socket.on('sum', (a: number, b: number, ack: (n: number) => void) => ack(a + b));
      const sum = await within(new Promise((resolve) => client.emit('sum', 1, 2, resolve)));
      assert.equal(sum, 3);
      client.on('ask', (q: string, ack: (a: string) => void) => ack(`${q}!`));
      assert.equal(await within(socket.emitWithAck('ask', 'hi')), 'hi!');
      const bytes = waitFor<[Buffer]>(client, 'bytes');
      socket.emit('bytes', Buffer.from([7, 8]));
      assert.deepEqual([...new Uint8Array((await bytes)[0])], [7, 8]);
      client.close();
    });
  }

  test('a v2 client joins a custom namespace with its query as auth', async () => {
    const nsp = server.io.of('/legacy');
    const connected = waitFor<[Socket]>(nsp, 'connection');
    const client = legacy('/legacy', { query: { token: 'abc' } });
    const [socket] = await connected;
    await waitFor(client, 'connect');
    assert.equal(socket.id, `/legacy#${socket.conn.id}`);
    assert.equal(socket.handshake.auth['token'], 'abc');
    client.close();
  });

  test('a middleware refusal reaches a v2 client as an error event carrying err.data', async () => {
    server.io
      .of('/legacy-guarded')
      .use((_socket, next) => next(Object.assign(new Error('no'), { data: { why: 'test' } })));
    const client = legacy('/legacy-guarded');
    const [err] = await waitFor<[unknown]>(client, 'error');
    assert.deepEqual(err, { why: 'test' });
    client.close();
  });

  test('without allowEIO3 a v2 client is refused', async () => {
    const strict = await startServer();
    try {
      const client = connectV2(strict.url, { forceNew: true, reconnection: false, transports: ['polling'] });
      clients.push(client);
      await waitFor(client, 'connect_error');
    } finally {
      await strict.close();
    }
  });
});
