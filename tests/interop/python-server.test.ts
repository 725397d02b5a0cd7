// Interop: Socket.IO servers (official socket.io proves the suite, then @switchboard/server) with python-socketio
// 5.7's AsyncClient as the peer, over WebSocket and over polling. One Python process hosts every client of the file.
// The upgrade, connection state recovery and the threaded client are in python-server-lifecycle.test.ts.
import assert from 'node:assert/strict';
import type { Server as HttpServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { Server, Socket as ServerSocket } from 'socket.io';
import {
  closeServer,
  failNotReady,
  fromJsonBytes,
  jsonBytes,
  serverImplementations,
  startHttpServer,
  toBuffers,
  waitFor,
  type JsonLine,
  type PythonPeer,
  type ServerImplementation,
} from '../testkit/index.js';
import { connectPythonClient, disconnectPythonClient, nextClientId, startClientPeer } from './python/peers.js';

const TRANSPORTS = ['websocket', 'polling'] as const;
// short heartbeats so every test also runs across pings, and a client that never answers is closed within 1 s
const PING_INTERVAL_MS = 200;
const PING_TIMEOUT_MS = 800;

let peer: PythonPeer;

before(async () => {
  peer = await startClientPeer();
});

after(async () => {
  await peer.close();
});

/** The error a namespace middleware refuses with: socket.io sends message and data in CONNECT_ERROR. */
function refusal(): Error & { data: unknown } {
  return Object.assign(new Error('not authorized'), { data: { code: 42 } });
}

function describeServer(impl: ServerImplementation, transport: (typeof TRANSPORTS)[number]): void {
  describe(`over ${transport}`, () => {
    let http: HttpServer;
    let io: Server;
    let url: string;

    before(async () => {
      const started = await startHttpServer();
      http = started.server;
      url = `http://127.0.0.1:${started.port}`;
      io = impl.create(http, { transports: [transport], pingInterval: PING_INTERVAL_MS, pingTimeout: PING_TIMEOUT_MS });
      io.of('/guarded').use((_socket, next) => next(refusal()));
      io.use((socket, next) => (socket.handshake.auth['refuse'] === true ? next(refusal()) : next()));
    });

    after(async () => {
      void io.close();
      await closeServer(http);
    });

    function connect(namespaces: string[] = ['/'], auth: JsonLine = {}): Promise<{ id: string; socket: ServerSocket }> {
      return connectPythonClient(peer, io, { url, transports: [transport], namespaces, auth });
    }

    function disconnect(id: string): Promise<JsonLine> {
      return disconnectPythonClient(peer, id);
    }

    // fail fast: when the server cannot take a python client at all, every test of the cell fails once, here,
    // instead of each one waiting out its own timeout
    before(async () => {
      const probe = await connect();
      await disconnect(probe.id);
    });

    it('receives the handshake auth and uses the transport the client asked for', async () => {
      const { id, socket } = await connect(['/'], { token: 'abc' });
      assert.deepEqual(socket.handshake.auth, { token: 'abc' });
      assert.equal(socket.conn.transport.name, transport);
      await disconnect(id);
    });

    it('gets a pong from the python client for every ping', async () => {
      const { id, socket } = await connect();
      // the engine socket emits "heartbeat" when a pong arrives; five outlast pingInterval + pingTimeout
      for (let beat = 0; beat < 5; beat++) await waitFor(socket.conn, 'heartbeat', 3000, `heartbeat ${beat + 1}`);
      assert.equal(socket.connected, true);
      await disconnect(id);
    });

    it('delivers events with several arguments in both directions', async () => {
      const { id, socket } = await connect();
      const received = waitFor(socket, 'multi');
      peer.send({ op: 'emit', id, event: 'multi', args: [1, 'two', { three: [3] }, null, true] });
      assert.deepEqual(await received, [1, 'two', { three: [3] }, null, true]);

      socket.emit('multi', 'a', 2, { c: [false] });
      const line = await peer.next({ ev: 'event', id, event: 'multi' });
      assert.deepEqual(line['args'], ['a', 2, { c: [false] }]);
      await disconnect(id);
    });

    it('delivers non-ASCII text intact in both directions', async () => {
      const { id, socket } = await connect();
      const text = 'héllo — 世界 🎉 \u0000 \u2028 end';
      const received = waitFor(socket, 'text');
      peer.send({ op: 'emit', id, event: 'text', args: [text, { [text]: text }] });
      assert.deepEqual(await received, [text, { [text]: text }]);
      socket.emit('text', text);
      assert.deepEqual((await peer.next({ ev: 'event', id, event: 'text' }))['args'], [text]);
      await disconnect(id);
    });

    it('carries a 300 KB binary payload in both directions', async () => {
      const { id, socket } = await connect();
      const big = Buffer.alloc(300 * 1024, 0xab);
      big.writeUInt32BE(0xdeadbeef, big.length - 4);
      const received = waitFor(socket, 'big');
      peer.send({ op: 'emit', id, event: 'big', args: [jsonBytes(big)] });
      assert.deepEqual(toBuffers(await received), [big]);
      socket.emit('big', big);
      const line = await peer.next({ ev: 'event', id, event: 'big' });
      assert.deepEqual(fromJsonBytes(line['args']), [big]);
      await disconnect(id);
    });

    it('acknowledges client emits with every argument the server handler passes', async () => {
      const { id, socket } = await connect();
      socket.on('sum', (a: number, b: number, ack: (...args: unknown[]) => void) => ack(a + b, 'done'));
      peer.send({ op: 'emit', id, event: 'sum', args: [2, 3], ack: 'sum-1' });
      const line = await peer.next({ ev: 'ack', id, tag: 'sum-1' });
      assert.deepEqual(line['args'], [5, 'done']);
      await disconnect(id);
    });

    it('receives the acknowledgement of a server emit from the python client', async () => {
      const { id, socket } = await connect();
      const answer = new Promise<unknown[]>((resolve, reject) => {
        socket.timeout(5000).emit('question', 'x', 1, (error: Error | null, ...args: unknown[]) => {
          if (error) reject(error);
          else resolve(args);
        });
      });
      assert.deepEqual(await answer, ['x', 1]);
      await disconnect(id);
    });

    it('carries binary buffers nested in objects in both directions and in acks', async () => {
      const { id, socket } = await connect();
      const bytes = Buffer.from([0, 1, 2, 253, 254, 255]);
      const received = waitFor(socket, 'upload');
      peer.send({
        op: 'emit',
        id,
        event: 'upload',
        args: [{ file: jsonBytes(bytes), meta: { parts: [jsonBytes(Buffer.from('hi')), 'text'] } }],
      });
      assert.deepEqual(toBuffers(await received), [{ file: bytes, meta: { parts: [Buffer.from('hi'), 'text'] } }]);

      socket.emit('download', { image: bytes, nested: { list: [Buffer.from([7]), 8] } });
      const line = await peer.next({ ev: 'event', id, event: 'download' });
      assert.deepEqual(fromJsonBytes(line['args']), [{ image: bytes, nested: { list: [Buffer.from([7]), 8] } }]);

      socket.on('want-bytes', (ack: (...args: unknown[]) => void) => ack({ blob: bytes }));
      peer.send({ op: 'emit', id, event: 'want-bytes', args: [], ack: 'bytes-1' });
      const ack = await peer.next({ ev: 'ack', id, tag: 'bytes-1' });
      assert.deepEqual(fromJsonBytes(ack['args']), [{ blob: bytes }]);

      // python acks a server emit with the bytes it got: a BINARY_ACK from python-socketio
      const answer = await socket.timeout(5000).emitWithAck('bytes-question', { blob: bytes });
      assert.deepEqual(toBuffers(answer), { blob: bytes });
      await disconnect(id);
    });

    it('multiplexes several namespaces over one Engine.IO connection', async () => {
      const chatConnection = waitFor<[ServerSocket]>(io.of('/chat'), 'connection', 5000, 'namespace /chat');
      const { id, socket: main } = await connect(['/', '/chat']);
      const [chat] = await chatConnection;
      assert.equal(chat.conn, main.conn, 'both namespaces ride the same Engine.IO connection');
      assert.notEqual(chat.id, main.id);

      const received = waitFor(chat, 'where');
      peer.send({ op: 'emit', id, nsp: '/chat', event: 'where', args: ['chat'] });
      assert.deepEqual(await received, ['chat']);
      chat.emit('from-chat', 1);
      const line = await peer.next({ ev: 'event', id, event: 'from-chat' });
      assert.equal(line['nsp'], '/chat');
      await disconnect(id);
    });

    it('broadcasts to a room only to the clients that joined it', async () => {
      const member = await connect();
      const outsider = await connect();
      const room = `room-${member.id}`;
      await member.socket.join(room);
      io.to(room).emit('news', 'for members', 1);
      // ordering on one connection: once the outsider sees the sentinel, a stray "news" would already be there
      io.emit('sentinel');
      const news = await peer.next({ ev: 'event', id: member.id, event: 'news' });
      assert.deepEqual(news['args'], ['for members', 1]);
      await peer.next({ ev: 'event', id: outsider.id, event: 'sentinel' });
      await peer.next({ ev: 'event', id: member.id, event: 'sentinel' });
      assert.equal(
        peer.lines.some((line) => line['id'] === outsider.id && line['event'] === 'news'),
        false,
        'the outsider received a room broadcast',
      );
      await disconnect(member.id);
      await disconnect(outsider.id);
    });

    it('refuses the main namespace from a server middleware with message and data', async () => {
      const id = nextClientId();
      peer.send({ op: 'connect', id, url, transports: [transport], namespaces: ['/'], auth: { refuse: true } });
      const line = await peer.next({ ev: 'connect_error', id, nsp: '/' });
      assert.deepEqual(line['data'], [{ message: 'not authorized', data: { code: 42 } }]);
      await disconnect(id);
    });

    it('refuses a connection from middleware with message and data seen by the client as connect_error', async () => {
      const id = nextClientId();
      peer.send({ op: 'connect', id, url, transports: [transport], namespaces: ['/guarded'], auth: {} });
      const line = await peer.next({ ev: 'connect_error', id, nsp: '/guarded' });
      assert.deepEqual(line['data'], [{ message: 'not authorized', data: { code: 42 } }]);
      await disconnect(id);
    });

    it('disconnects the client from the server side with reason "server namespace disconnect"', async () => {
      const { id, socket } = await connect();
      const disconnected = waitFor<[string, unknown]>(socket, 'disconnect');
      socket.disconnect();
      assert.equal((await disconnected)[0], 'server namespace disconnect');
      await peer.next({ ev: 'disconnect', id, nsp: '/' });
      await disconnect(id);
    });

    it('sees a DISCONNECT packet from the client with reason "client namespace disconnect"', async () => {
      const { id, socket } = await connect();
      const disconnected = waitFor<[string, unknown]>(socket, 'disconnect');
      peer.send({ op: 'leave', id, nsp: '/' });
      assert.equal((await disconnected)[0], 'client namespace disconnect');
      await disconnect(id);
    });

    it('sees python disconnect() with a reason naming the client or the transport', async () => {
      // python-socketio 5.7 queues DISCONNECT then aborts the transport at once, so the packet may be lost
      const { id, socket } = await connect();
      const disconnected = waitFor<[string, unknown]>(socket, 'disconnect');
      await disconnect(id);
      const [reason] = await disconnected;
      assert.ok(
        ['client namespace disconnect', 'transport close', 'transport error'].includes(reason),
        `unexpected disconnect reason ${reason}`,
      );
    });
  });
}

for (const impl of await serverImplementations()) {
  describe(`${impl.name} with python-socketio 5.7 AsyncClient`, () => {
    if (impl.notReady !== undefined) failNotReady(impl.notReady);
    else for (const transport of TRANSPORTS) describeServer(impl, transport);
  });
}
