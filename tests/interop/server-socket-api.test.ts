// The rest of the Socket API seen from official socket.io-client 4.8: handshake, send, flags, custom adapters.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as socketIoParser from 'socket.io-parser';
import { InMemoryAdapter, type Packet, type Socket, type SocketParser } from '@switchboard/server';
import type { BroadcastOptions } from '@switchboard/server';
import { SERVER_IMPLEMENTATIONS, startServer, waitFor, within, type TestServer } from './server-kit.js';

// Each suite runs against the official server too: passing there proves its expectations.
for (const impl of SERVER_IMPLEMENTATIONS)
  describe(`server socket API: ${impl.name}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startServer({}, 0, impl.create);
    });
    after(() => server.close());

    async function pair(opts = {}): Promise<[Socket, ReturnType<TestServer['client']>]> {
      const connected = waitFor<[Socket]>(server.io, 'connection');
      const client = server.client('/', opts);
      const [socket] = await connected;
      if (!client.connected) await waitFor(client, 'connect');
      return [socket, client];
    }

    test('handshake carries headers, query, auth, time, issued, url, address, xdomain and secure', async () => {
      const before = Date.now();
      const [socket, client] = await pair({
        query: { room: 'blue' },
        auth: { token: 'abc' },
        extraHeaders: { 'x-test': 'yes' },
        transports: ['polling'],
      });
      const { handshake } = socket;
      assert.equal(handshake.headers['x-test'], 'yes');
      assert.equal(handshake.query['room'], 'blue');
      assert.deepEqual(handshake.auth, { token: 'abc' });
      assert.ok(handshake.issued >= before - 5 && handshake.issued <= Date.now());
      // socket.io reads the clock twice for these two; Switchboard derives both from one reading.
      if (impl.precise) assert.equal(handshake.time, new Date(handshake.issued).toString());
      assert.match(handshake.url, /^\/socket\.io\/\?/);
      assert.match(handshake.address, /127\.0\.0\.1/);
      assert.equal(handshake.xdomain, false);
      assert.equal(handshake.secure, false);
      client.disconnect();
    });

    test('send and write emit the message event both ways', async () => {
      const [socket, client] = await pair();
      const atServer = waitFor<[string]>(socket, 'message');
      client.send('up');
      assert.deepEqual(await atServer, ['up']);
      const atClient = waitFor<[string, number]>(client, 'message');
      socket.send('down', 1);
      assert.deepEqual(await atClient, ['down', 1]);
      const written = waitFor<[string]>(client, 'message');
      socket.write('again');
      assert.deepEqual(await written, ['again']);
      client.disconnect();
    });

    test('volatile and compress(false) emits are delivered to a client whose WebSocket is writable', async () => {
      // Over polling, writable means "a GET is pending", so a volatile emit right after connecting may be dropped.
      const [socket, client] = await pair({ transports: ['websocket'] });
      // One at a time: socket.io's WebSocket transport is not writable while a send is in flight.
      const v = waitFor(client, 'v');
      socket.volatile.emit('v');
      await v;
      const c = waitFor(client, 'c');
      socket.compress(false).emit('c');
      await c;
      const bv = waitFor(client, 'bv');
      server.io.volatile.compress(false).emit('bv');
      await bv;
      client.disconnect();
    });

    test('a binary broadcast reaches WebSocket and polling clients intact', async () => {
      const [, ws] = await pair({ transports: ['websocket'] });
      const [, polling] = await pair({ transports: ['polling'] });
      const got = Promise.all([
        waitFor<[{ n: number; bytes: Buffer }]>(ws, 'blob'),
        waitFor<[{ n: number; bytes: Buffer }]>(polling, 'blob'),
      ]);
      server.io.emit('blob', { n: 1, bytes: Buffer.from([0, 255, 10]) });
      for (const [payload] of await within(got)) {
        assert.equal(payload.n, 1);
        assert.deepEqual([...new Uint8Array(payload.bytes)], [0, 255, 10]);
      }
      ws.disconnect();
      polling.disconnect();
    });

    test('the parser option takes a socket.io-parser compatible codec (here socket.io-parser itself)', async () => {
      const custom = await startServer({ parser: socketIoParser as unknown as SocketParser }, 0, impl.create);
      try {
        custom.io.on('connection', (socket: Socket) =>
          socket.on('echo', (v: unknown, ack: (v: unknown) => void) => ack(v)),
        );
        const client = custom.client();
        await waitFor(client, 'connect');
        const payload = { text: 'hi', bytes: Buffer.from([1, 2, 3]) };
        const echoed = (await within(client.emitWithAck('echo', payload))) as { text: string; bytes: ArrayBuffer };
        assert.equal(echoed.text, 'hi');
        assert.deepEqual([...new Uint8Array(echoed.bytes)], [1, 2, 3]);
        const closed = new Promise<string>((resolve) =>
          custom.io.once('connection', (s: Socket) => s.once('disconnect', resolve)),
        );
        const broken = custom.client();
        await waitFor(broken, 'connect');
        (broken.io.engine as unknown as { send(data: string): void }).send('2["unterminated');
        assert.ok(['parse error', 'forced close'].includes(await within(closed)));
      } finally {
        await custom.close();
      }
    });

    test('a socket may join rooms from a middleware, and a refused socket leaves no room behind', async () => {
      const nsp = server.io.of('/joins');
      nsp.use((socket, next) => {
        void socket.join('vip');
        if (socket.handshake.auth['refuse'] === true) next(new Error('refused'));
        else next();
      });
      const refused = server.client('/joins', { auth: { refuse: true } });
      await waitFor(refused, 'connect_error');
      assert.equal(nsp.adapter.rooms.get('vip')?.size ?? 0, 0);
      const connected = waitFor<[Socket]>(nsp, 'connection');
      const accepted = server.client('/joins');
      const [socket] = await connected;
      assert.equal(socket.rooms.has('vip'), true);
      accepted.disconnect();
    });

    test('io.of(name, fn) registers fn as a connection listener', async () => {
      const seen = new Promise<string>((resolve) => server.io.of('/with-fn', (socket) => resolve(socket.nsp.name)));
      const client = server.client('/with-fn');
      assert.equal(await within(seen), '/with-fn');
      client.disconnect();
    });

    test('io.sockets is the main namespace and new_namespace announces namespaces', async () => {
      assert.equal(server.io.sockets.name, '/');
      const created = waitFor<[{ name: string }]>(server.io, 'new_namespace');
      server.io.of('/announced');
      assert.equal((await created)[0].name, '/announced');
    });

    // The adapter class extends Switchboard's InMemoryAdapter, which socket.io cannot use.
    test('the adapter option takes a class that each namespace instantiates', { skip: !impl.precise }, async () => {
      const broadcasts: string[] = [];
      class RecordingAdapter extends InMemoryAdapter {
        override broadcast(packet: Packet, opts: BroadcastOptions): void {
          broadcasts.push(`${this.nsp.name}:${String((packet.data as unknown[])[0])}`);
          super.broadcast(packet, opts);
        }
      }
      const custom = await startServer({ adapter: RecordingAdapter });
      try {
        const client = custom.client();
        await waitFor(client, 'connect');
        const got = waitFor(client, 'hello');
        custom.io.emit('hello');
        await got;
        assert.ok(custom.io.of('/other').adapter instanceof RecordingAdapter);
        assert.deepEqual(broadcasts, ['/:hello']);
      } finally {
        await custom.close();
      }
    });
  });
