// Namespaces, dynamic namespaces and connection middlewares, seen by official socket.io-client 4.8.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Namespace, Socket } from '@switchboard/server';
import { SERVER_IMPLEMENTATIONS, startServer, waitFor, within, type TestServer } from './server-kit.js';

// Each suite runs against the official server too: passing there proves its expectations.
for (const impl of SERVER_IMPLEMENTATIONS)
  describe(`server namespaces and middlewares: ${impl.name}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startServer({ cleanupEmptyChildNamespaces: true }, 0, impl.create);
    });
    after(() => server.close());

    test('a client connects to a custom namespace without joining /', async () => {
      let mainConnections = 0;
      server.io.on('connection', () => mainConnections++);
      const custom = server.io.of('/custom');
      const connected = waitFor<[Socket]>(custom, 'connection');
      const client = server.client('/custom');
      await waitFor(client, 'connect');
      const [socket] = await connected;
      assert.equal(socket.nsp.name, '/custom');
      assert.equal(mainConnections, 0);
      server.io.removeAllListeners('connection');
      client.disconnect();
    });

    test('an unknown namespace is refused with connect_error "Invalid namespace"', async () => {
      const client = server.client('/nowhere');
      const [err] = await waitFor<[Error]>(client, 'connect_error');
      assert.equal(err.message, 'Invalid namespace');
    });

    test('a RegExp parent creates child namespaces, and a parent broadcast reaches every child', async () => {
      const parent = server.io.of(/^\/dyn-\d+$/);
      const names: string[] = [];
      parent.on('connection', (socket: Socket) => names.push(socket.nsp.name));
      const a = server.client('/dyn-1');
      const b = server.client('/dyn-2');
      await Promise.all([waitFor(a, 'connect'), waitFor(b, 'connect')]);
      assert.deepEqual(names.sort(), ['/dyn-1', '/dyn-2']);
      const got = Promise.all([waitFor(a, 'all'), waitFor(b, 'all')]);
      parent.emit('all', 42);
      const [[fromA], [fromB]] = await got;
      assert.equal(fromA, 42);
      assert.equal(fromB, 42);
      // socket.io refuses fetchSockets on a parent namespace; Switchboard gathers its children's sockets.
      if (impl.precise) assert.equal((await parent.fetchSockets()).length, 2);
      a.disconnect();
      b.disconnect();
    });

    test('a function parent decides from the name and auth', async () => {
      server.io.of((name, auth, next) => next(null, name === '/fn-ok' && auth['token'] === 't'));
      const refused = server.client('/fn-ok', { auth: { token: 'wrong' } });
      const [err] = await waitFor<[Error]>(refused, 'connect_error');
      assert.equal(err.message, 'Invalid namespace');
      const accepted = server.client('/fn-ok', { auth: { token: 't' } });
      await waitFor(accepted, 'connect');
      accepted.disconnect();
    });

    test('an empty child namespace is removed with cleanupEmptyChildNamespaces', async () => {
      const parent = server.io.of(/^\/temp-\d+$/);
      const connected = waitFor<[Socket]>(parent, 'connection');
      const client = server.client('/temp-7');
      await waitFor(client, 'connect');
      const [socket] = await connected;
      const gone = waitFor(socket, 'disconnect');
      client.disconnect();
      await gone;
      // socket.io has no public lookup that does not create the namespace: read its registry there.
      const exists = impl.precise
        ? server.io.getNamespace('/temp-7') !== undefined
        : (server.io as unknown as { _nsps: Map<string, unknown> })._nsps.has('/temp-7');
      assert.equal(exists, false);
    });

    test('middleware next(err) reaches the client as connect_error with message and data', async () => {
      const nsp: Namespace = server.io.of('/guarded');
      nsp.use((socket, next) => {
        if (socket.handshake.auth['token'] === 'ok') next();
        else next(Object.assign(new Error('not authorized'), { data: { reason: 'bad token', code: 7 } }));
      });
      const refused = server.client('/guarded', { auth: { token: 'nope' } });
      const [err] = await waitFor<[Error & { data?: unknown }]>(refused, 'connect_error');
      assert.equal(err.message, 'not authorized');
      assert.deepEqual(err.data, { reason: 'bad token', code: 7 });
      const accepted = server.client('/guarded', { auth: { token: 'ok' } });
      await waitFor(accepted, 'connect');
      accepted.disconnect();
    });

    test('io.use middlewares run in order and can set socket.data', async () => {
      const order: string[] = [];
      const nsp = server.io.of('/ordered');
      nsp.use((socket, next) => {
        order.push('first');
        (socket.data as Record<string, unknown>)['user'] = 'ann';
        next();
      });
      nsp.use((_socket, next) => {
        order.push('second');
        setTimeout(next, 5);
      });
      const connected = waitFor<[Socket]>(nsp, 'connection');
      const client = server.client('/ordered');
      const [socket] = await connected;
      assert.deepEqual(order, ['first', 'second']);
      assert.deepEqual(socket.data, { user: 'ann' });
      await waitFor(client, 'connect');
      client.disconnect();
    });

    test('a per-packet middleware can reject an event, reported as the socket error event', async () => {
      const connected = waitFor<[Socket]>(server.io.of('/packets'), 'connection');
      const client = server.client('/packets');
      const [socket] = await connected;
      socket.use(([event], next) => (event === 'forbidden' ? next(new Error('nope')) : next()));
      const seen: string[] = [];
      socket.on('allowed', () => seen.push('allowed'));
      socket.on('forbidden', () => seen.push('forbidden'));
      const errored = waitFor<[Error]>(socket, 'error');
      client.emit('forbidden');
      const [err] = await errored;
      assert.equal(err.message, 'nope');
      const allowed = waitFor(socket, 'allowed');
      client.emit('allowed');
      await allowed;
      assert.deepEqual(seen, ['allowed']);
      client.disconnect();
    });

    test('one connection multiplexes two namespaces', async () => {
      const a = server.io.of('/mx-a');
      const b = server.io.of('/mx-b');
      const both = Promise.all([waitFor<[Socket]>(a, 'connection'), waitFor<[Socket]>(b, 'connection')]);
      const clientA = server.client('/mx-a', { forceNew: true });
      const clientB = clientA.io.socket('/mx-b');
      clientB.connect();
      const [[sa], [sb]] = await within(both);
      assert.equal(sa.conn, sb.conn);
      const gotB = waitFor(clientB, 'hello');
      sb.emit('hello');
      await gotB;
      clientB.disconnect();
      clientA.disconnect();
    });
  });
