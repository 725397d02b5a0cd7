// Interop: Socket.IO servers (official socket.io proves the suite, then @switchboard/server) with python-socketio
// 5.7 beyond the per-transport matrix: its own polling-to-WebSocket upgrade, a server with connection state
// recovery, and the threaded socketio.Client (websocket-client underneath).
import assert from 'node:assert/strict';
import type { Server as HttpServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { Server, Socket as ServerSocket } from 'socket.io';
import {
  closeServer,
  failNotReady,
  serverImplementations,
  startHttpServer,
  toBuffers,
  waitFor,
  type PythonPeer,
  type ServerImplementation,
} from '../testkit/index.js';
import {
  SYNC_CLIENT_SCRIPT,
  connectPythonClient,
  disconnectPythonClient,
  spawnPeer,
  startClientPeer,
} from './python/peers.js';

const PING_INTERVAL_MS = 200;
const PING_TIMEOUT_MS = 800;

let peer: PythonPeer;

before(async () => {
  peer = await startClientPeer();
});

after(async () => {
  await peer.close();
});

const BURST = 20;

/** Polling first, then python-socketio's own upgrade to WebSocket while events flow both ways. */
function describeUpgrade(impl: ServerImplementation): void {
  describe('over polling upgraded to websocket', () => {
    let http: HttpServer;
    let io: Server;
    let url: string;

    before(async () => {
      const started = await startHttpServer();
      http = started.server;
      url = `http://127.0.0.1:${started.port}`;
      io = impl.create(http, { pingInterval: PING_INTERVAL_MS, pingTimeout: PING_TIMEOUT_MS });
    });

    after(async () => {
      void io.close();
      await closeServer(http);
    });

    it('upgrades the python client without losing or reordering events in either direction', async () => {
      // no "transports": python-socketio starts on polling and probes WebSocket by itself
      const { id, socket } = await connectPythonClient(peer, io, { url });
      const upgraded =
        socket.conn.transport.name === 'websocket' ? Promise.resolve() : waitFor(socket.conn, 'upgrade', 5000);
      const fromClient: unknown[] = [];
      socket.on('seq', (n: unknown) => fromClient.push(n));
      const lastFromClient = waitFor(socket, 'last');
      for (let n = 0; n < BURST; n++) {
        socket.emit('seq', n);
        peer.send({ op: 'emit', id, event: 'seq', args: [n] });
      }
      socket.emit('last');
      peer.send({ op: 'emit', id, event: 'last', args: [] });
      await upgraded;
      await lastFromClient;
      await peer.next({ ev: 'event', id, event: 'last' });
      const toClient = peer.lines
        .filter((line) => line['id'] === id && line['event'] === 'seq')
        .map((line) => line['args']);
      assert.deepEqual(
        toClient,
        Array.from({ length: BURST }, (_, n) => [n]),
      );
      assert.deepEqual(
        fromClient,
        Array.from({ length: BURST }, (_, n) => n),
      );
      assert.equal(socket.conn.transport.name, 'websocket');
      await disconnectPythonClient(peer, id);
    });
  });
}

/** Connection state recovery on the server: python-socketio 5.7 knows nothing of it, so the offset shows. */
function describeRecovery(impl: ServerImplementation): void {
  describe('with connectionStateRecovery on', () => {
    let http: HttpServer;
    let io: Server;
    let url: string;

    before(async () => {
      const started = await startHttpServer();
      http = started.server;
      url = `http://127.0.0.1:${started.port}`;
      io = impl.create(http, { transports: ['websocket'], connectionStateRecovery: {} });
    });

    after(async () => {
      void io.close();
      await closeServer(http);
    });

    it('appends an offset to emits without ack, which python-socketio 5.7 hands over as a last argument', async () => {
      const { id, socket } = await connectPythonClient(peer, io, { url, transports: ['websocket'] });
      assert.equal(socket.recovered, false);
      // socket.emit is recoverable too (socket.io 4.8 sends it through the adapter), so both carry an offset
      socket.emit('direct', 'x');
      io.emit('broadcast', 'y');
      for (const [event, value] of [
        ['direct', 'x'],
        ['broadcast', 'y'],
      ] as const) {
        const args = (await peer.next({ ev: 'event', id, event }))['args'] as unknown[];
        assert.equal(args.length, 2, `${event} carries one extra argument`);
        assert.equal(args[0], value);
        assert.equal(typeof args[1], 'string', `the extra argument of ${event} is the offset string`);
      }
      // an emit that expects an ack is never replayed, so it has no offset
      assert.deepEqual(await socket.timeout(5000).emitWithAck('asked', 'z'), 'z');
      assert.deepEqual((await peer.next({ ev: 'event', id, event: 'asked' }))['args'], ['z']);
      await disconnectPythonClient(peer, id);
    });
  });
}

/** python-socketio's threaded Client (websocket-client underneath) running its fixed scenario. */
function describeSyncClient(impl: ServerImplementation): void {
  describe('with the threaded socketio.Client over websocket', () => {
    let http: HttpServer;
    let io: Server;
    let syncPeer: PythonPeer;

    before(async () => {
      const started = await startHttpServer();
      http = started.server;
      io = impl.create(http, { transports: ['websocket'] });
      syncPeer = spawnPeer(SYNC_CLIENT_SCRIPT, [`http://127.0.0.1:${started.port}`]);
    });

    after(async () => {
      await syncPeer.close();
      void io.close();
      await closeServer(http);
    });

    it('runs connect, ack, binary emit, server question with ack, and disconnect', async () => {
      const [socket] = await waitFor<[ServerSocket]>(io, 'connection', 10_000, 'server (python startup)');
      assert.deepEqual(socket.handshake.auth, { flavour: 'sync' });
      socket.on('sum', (a: number, b: number, ack: (sum: number) => void) => ack(a + b));
      const bytes = waitFor(socket, 'bytes');
      const connected = await syncPeer.next({ ev: 'connected' });
      assert.equal(connected['transport'], 'websocket');
      assert.deepEqual((await syncPeer.next({ ev: 'ack' }))['value'], 5);
      assert.deepEqual(toBuffers(await bytes), [{ blob: Buffer.from([0, 1, 255]) }]);

      const answer = await socket.timeout(5000).emitWithAck('question', 'q');
      assert.equal(answer, 'q');
      assert.deepEqual((await syncPeer.next({ ev: 'question' }))['args'], ['q']);
      const disconnected = waitFor<[string, unknown]>(socket, 'disconnect');
      socket.emit('bye');
      await syncPeer.next({ ev: 'bye' });
      await syncPeer.next({ ev: 'done' });
      // same abort-after-queueing behaviour as the asyncio client: the DISCONNECT packet may not be written
      const [reason] = await disconnected;
      assert.ok(['client namespace disconnect', 'transport close'].includes(reason), `unexpected reason ${reason}`);
    });
  });
}

for (const impl of await serverImplementations()) {
  describe(`${impl.name} with python-socketio 5.7`, () => {
    if (impl.notReady !== undefined) failNotReady(impl.notReady);
    else {
      describeUpgrade(impl);
      describeRecovery(impl);
      describeSyncClient(impl);
    }
  });
}
