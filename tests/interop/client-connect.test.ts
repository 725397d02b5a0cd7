// @switchboard/client against the official socket.io 4.8 server: namespaces, auth, middleware errors, disconnects.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { io, type Socket } from '@switchboard/client';
import { startOfficialServer, TRANSPORT_SETUPS, waitFor, type OfficialServer } from './client-support.js';

for (const setup of TRANSPORT_SETUPS) {
  describe(`client connection over ${setup.name}`, () => {
    let server: OfficialServer;
    const sockets: Socket[] = [];
    const connect = (nsp = '/', opts: Parameters<typeof io>[1] = {}): Socket => {
      const socket = io(server.url + nsp, { forceNew: true, reconnection: false, ...setup.opts, ...opts });
      sockets.push(socket);
      return socket;
    };

    before(async () => {
      server = await startOfficialServer();
      server.io.of('/guarded').use((socket, next) => {
        if (socket.handshake.auth['token'] === 'good') {
          next();
          return;
        }
        const err = new Error('not authorized') as Error & { data?: unknown };
        err.data = { reason: 'bad token', retryable: false };
        next(err);
      });
      server.io.of('/guarded').on('connection', (socket) => socket.emit('welcome', socket.handshake.auth));
      server.io.of('/cache-a');
      server.io.of('/cache-b');
      server.io.of('/kick').on('connection', (socket) => socket.on('kick me', () => socket.disconnect()));
    });
    after(async () => {
      for (const socket of sockets) socket.disconnect();
      await server.close();
    });

    test('connects to the main namespace and gets an id distinct from the engine id', async () => {
      const socket = connect();
      await waitFor(socket, 'connect');
      assert.equal(socket.connected, true);
      assert.equal(socket.disconnected, false);
      assert.equal(typeof socket.id, 'string');
      assert.notEqual(socket.id, socket.io.engine.id);
    });

    test('multiplexes namespaces of one server over one Manager', async () => {
      const main = io(server.url, { reconnection: false, ...setup.opts, forceNew: true });
      sockets.push(main);
      const admin = main.io.socket('/admin');
      sockets.push(admin);
      server.io.of('/admin');
      await Promise.all([waitFor(main, 'connect'), waitFor(admin, 'connect')]);
      assert.equal(main.io, admin.io);
      const [serverSide] = await server.io.of('/admin').fetchSockets();
      assert.equal(serverSide?.id, admin.id);
    });

    test('keeps the connection for the other namespaces when one namespace disconnects', async () => {
      const main = io(server.url, { reconnection: false, ...setup.opts, forceNew: true });
      const admin = main.io.socket('/admin');
      sockets.push(main, admin);
      await Promise.all([waitFor(main, 'connect'), waitFor(admin, 'connect')]);
      const engine = main.io.engine;
      admin.disconnect();
      assert.equal(admin.connected, false);
      assert.equal(main.connected, true);
      const [serverSide] = await server.io.fetchSockets();
      assert.ok(serverSide);
      assert.equal(main.io.engine, engine);
      assert.equal(engine.readyState, 'open');
    });

    test('shares the cached Manager between io() calls to namespaces of the same server', async () => {
      const url = server.url;
      const a = io(`${url}/cache-a`, { reconnection: false, ...setup.opts });
      const b = io(`${url}/cache-b`, { reconnection: false, ...setup.opts });
      const c = io(`${url}/cache-a`, { reconnection: false, ...setup.opts });
      sockets.push(a, b, c);
      assert.equal(a.io, b.io);
      assert.notEqual(a.io, c.io, 'a namespace already taken gets a new Manager');
      await Promise.all([waitFor(a, 'connect'), waitFor(b, 'connect'), waitFor(c, 'connect')]);
    });

    test('sends an auth object with CONNECT', async () => {
      const socket = connect('/guarded', { auth: { token: 'good', user: 'ann' } });
      const [auth] = await waitFor(socket, 'welcome');
      assert.deepEqual(auth, { token: 'good', user: 'ann' });
    });

    test('sends the auth that an auth callback provides', async () => {
      const socket = connect('/guarded', { auth: (cb) => cb({ token: 'good', from: 'callback' }) });
      const [auth] = await waitFor(socket, 'welcome');
      assert.deepEqual(auth, { token: 'good', from: 'callback' });
    });

    test('reports a middleware refusal as connect_error with its message and data', async () => {
      const socket = connect('/guarded', { auth: { token: 'bad' } });
      const [err] = (await waitFor(socket, 'connect_error')) as [Error & { data?: unknown; code?: string }];
      assert.equal(err.message, 'not authorized');
      assert.deepEqual(err.data, { reason: 'bad token', retryable: false });
      assert.equal(err.code, 'SIO_ERR_CONNECT_REFUSED');
      assert.equal(socket.active, false);
    });

    test('connects after a refusal once the auth is fixed and connect() is called again', async () => {
      const socket = connect('/guarded', { auth: { token: 'bad' } });
      await waitFor(socket, 'connect_error');
      socket.auth = { token: 'good' };
      const welcomed = waitFor(socket, 'welcome');
      socket.connect();
      assert.deepEqual(await welcomed, [{ token: 'good' }]);
      assert.equal(socket.connected, true);
    });

    test('reports an unknown namespace as connect_error "Invalid namespace"', async () => {
      const socket = connect('/nobody-here');
      const [err] = (await waitFor(socket, 'connect_error')) as [Error];
      assert.equal(err.message, 'Invalid namespace');
    });

    test('does not reconnect after the server disconnects the socket', async () => {
      const socket = connect('/kick', { reconnection: true, reconnectionDelay: 50 });
      await waitFor(socket, 'connect');
      socket.emit('kick me');
      const [reason] = await waitFor(socket, 'disconnect');
      assert.equal(reason, 'io server disconnect');
      assert.equal(socket.active, false);
      assert.equal(socket.io.engine.readyState, 'closed');
    });

    test('tells the server the client left on disconnect()', async () => {
      const socket = connect();
      await waitFor(socket, 'connect');
      const [serverSide] = await server.io.fetchSockets();
      const id = socket.id;
      const left = new Promise<string>((resolve) => {
        server.io.sockets.sockets.get(id ?? '')?.once('disconnect', resolve);
      });
      assert.ok(serverSide);
      const disconnected = waitFor(socket, 'disconnect');
      socket.disconnect();
      assert.deepEqual(await disconnected, ['io client disconnect', undefined]);
      assert.equal(await left, 'client namespace disconnect');
      assert.equal(socket.id, undefined);
    });
  });
}
