// Disconnect reasons on both sides, server shutdown, and restarting a server on the same port.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Socket } from '@switchboard/server';
import { SERVER_IMPLEMENTATIONS, startServer, waitFor, within, type TestServer } from './server-kit.js';

// Each suite runs against the official server too: passing there proves its expectations.
for (const impl of SERVER_IMPLEMENTATIONS)
  describe(`server disconnect reasons: ${impl.name}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startServer({}, 0, impl.create);
    });
    after(() => server.close());

    async function pair(nsp = '/', opts = {}): Promise<[Socket, ReturnType<TestServer['client']>]> {
      const connected = waitFor<[Socket]>(server.io.of(nsp), 'connection');
      const client = server.client(nsp, opts);
      const [socket] = await connected;
      if (!client.connected) await waitFor(client, 'connect');
      return [socket, client];
    }

    test('client.disconnect() gives the server "client namespace disconnect"', async () => {
      const [socket, client] = await pair();
      const reasons = Promise.all([
        waitFor<[string]>(socket, 'disconnecting'),
        waitFor<[string]>(socket, 'disconnect'),
      ]);
      client.disconnect();
      const [[disconnecting], [disconnect]] = await reasons;
      assert.equal(disconnecting, 'client namespace disconnect');
      assert.equal(disconnect, 'client namespace disconnect');
      assert.equal(socket.connected, false);
      assert.equal(socket.disconnected, true);
    });

    test('socket.disconnect() gives "server namespace disconnect" and the client "io server disconnect"', async () => {
      const [socket, client] = await pair();
      const clientReason = waitFor<[string]>(client, 'disconnect');
      const serverReason = waitFor<[string]>(socket, 'disconnect');
      socket.disconnect();
      assert.equal((await serverReason)[0], 'server namespace disconnect');
      assert.equal((await clientReason)[0], 'io server disconnect');
    });

    test('disconnecting still sees the rooms, disconnect sees none', async () => {
      const [socket, client] = await pair();
      void socket.join('kept');
      const seen: boolean[] = [];
      socket.on('disconnecting', () => seen.push(socket.rooms.has('kept')));
      socket.on('disconnect', () => seen.push(socket.rooms.has('kept')));
      const done = waitFor(socket, 'disconnect');
      client.disconnect();
      await done;
      assert.deepEqual(seen, [true, false]);
    });

    test('socket.disconnect(true) closes every namespace of the connection', async () => {
      const [main, client] = await pair();
      const other = server.io.of('/second');
      const connected = waitFor<[Socket]>(other, 'connection');
      const second = client.io.socket('/second');
      const [otherSocket] = await connected;
      const reasons = Promise.all([
        waitFor<[string]>(main, 'disconnect'),
        waitFor<[string]>(otherSocket, 'disconnect'),
      ]);
      const clientReasons = Promise.all([
        waitFor<[string]>(client, 'disconnect'),
        waitFor<[string]>(second, 'disconnect'),
      ]);
      main.disconnect(true);
      assert.deepEqual(
        (await reasons).map(([r]) => r),
        ['server namespace disconnect', 'server namespace disconnect'],
      );
      assert.deepEqual(
        (await clientReasons).map(([r]) => r),
        ['io server disconnect', 'io server disconnect'],
      );
    });

    test('closing the transport from the client gives "transport close"', async () => {
      const [socket, client] = await pair();
      const reason = waitFor<[string]>(socket, 'disconnect');
      client.io.engine.close();
      assert.equal((await reason)[0], 'transport close');
    });

    test('closing the engine connection on the server gives "forced close"', async () => {
      const [socket, client] = await pair();
      const reason = waitFor<[string]>(socket, 'disconnect');
      const clientReason = waitFor<[string]>(client, 'disconnect');
      (socket.conn as unknown as { close(): void }).close();
      assert.equal((await reason)[0], 'forced close');
      assert.equal((await clientReason)[0], 'transport close');
    });

    // socket.io lets such an ack time out later; Switchboard fails it at once with SIO_ERR_SOCKET_DISCONNECTED.
    test('a pending timeout ack fails when its socket disconnects', { skip: !impl.precise }, async () => {
      const [socket, client] = await pair();
      client.on('slow', () => {});
      const pending = socket.timeout(5000).emitWithAck('slow');
      const closed = waitFor(socket, 'disconnect');
      client.disconnect();
      await closed;
      await assert.rejects(within(pending), { code: 'SIO_ERR_SOCKET_DISCONNECTED' });
    });
  });

for (const impl of SERVER_IMPLEMENTATIONS)
  describe(`server shutdown and restart: ${impl.name}`, () => {
    test('io.close() disconnects sockets with "server shutting down" and the client reconnects to a restarted server on the same port', async () => {
      const first = await startServer({}, 0, impl.create);
      const port = first.port;
      const connected = waitFor<[Socket]>(first.io, 'connection');
      const client = first.client('/', {
        reconnection: true,
        reconnectionDelay: 50,
        reconnectionDelayMax: 100,
        transports: ['websocket'],
      });
      const [socket] = await connected;
      await waitFor(client, 'connect').catch(() => undefined);
      const firstId = client.id;
      const serverReason = waitFor<[string]>(socket, 'disconnect');
      const clientReason = waitFor<[string]>(client, 'disconnect');
      await first.io.close();
      assert.equal((await serverReason)[0], 'server shutting down');
      assert.equal((await clientReason)[0], 'transport close');

      const second = await startServer({}, port, impl.create);
      try {
        const reconnected = waitFor<[Socket]>(second.io, 'connection', 5000);
        await waitFor(client, 'connect', 5000);
        const [newSocket] = await reconnected;
        assert.equal(newSocket.id, client.id);
        assert.notEqual(client.id, firstId);
      } finally {
        client.disconnect();
        await second.close();
      }
    });
  });
