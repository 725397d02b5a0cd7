// Our Engine.IO client against the official engine.io v6 server: each transport mode, messages, heartbeat, close.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Socket as EngineServerSocket } from 'engine.io';
import { Socket, type SocketOptions } from '@switchboard/engine-client';
import {
  collect,
  normalise,
  silenceOfficialSocket,
  startOfficialServer,
  waitFor,
  type OfficialServer,
} from './engine-client-helpers.js';

const modes: { name: string; opts: SocketOptions; finalTransport: string }[] = [
  { name: 'polling only', opts: { transports: ['polling'] }, finalTransport: 'polling' },
  { name: 'WebSocket only', opts: { transports: ['websocket'] }, finalTransport: 'websocket' },
  { name: 'polling upgraded to WebSocket', opts: {}, finalTransport: 'websocket' },
];

for (const mode of modes) {
  describe(`engine client with the official server, ${mode.name}`, () => {
    let server: OfficialServer;
    const sockets: Socket[] = [];
    const connect = (opts: SocketOptions = {}): Socket => {
      const socket = new Socket(server.url, { ...mode.opts, ...opts });
      sockets.push(socket);
      return socket;
    };

    before(async () => {
      server = await startOfficialServer({ pingInterval: 300, pingTimeout: 200 });
    });
    after(async () => {
      for (const socket of sockets) socket.close();
      await server.close();
    });

    it(`opens and ends on the ${mode.finalTransport} transport`, async () => {
      const serverSide = waitFor<[EngineServerSocket]>(server.engine, 'connection');
      const socket = connect();
      await waitFor(socket, 'open');
      const [serverSocket] = await serverSide;
      // engine.io's typings mark `id` private although it is the public session id.
      assert.equal(socket.id, (serverSocket as unknown as { id: string }).id);
      if (mode.finalTransport !== socket.transport.name) await waitFor(socket, 'upgrade');
      assert.equal(socket.transport.name, mode.finalTransport);
      assert.equal(socket.readyState, 'open');
    });

    it('exchanges text and binary messages both ways in order, including during the upgrade', async () => {
      const serverSide = waitFor<[EngineServerSocket]>(server.engine, 'connection');
      const socket = connect();
      const clientReceived = collect(socket, 'message', 8);
      socket.send('c1');
      socket.send(new Uint8Array([1, 2, 3]));
      const [serverSocket] = await serverSide;
      const serverReceived = collect(serverSocket, 'message', 5);
      serverSocket.send('s1');
      serverSocket.send(Buffer.from([9, 8]));
      await waitFor(socket, 'open');
      socket.send(new Uint8Array([4]).buffer);
      socket.send('c2 ünïcödé ✓');
      // In upgrade mode these go out while polling pauses and the probe completes; elsewhere right away.
      serverSocket.send('s2');
      serverSocket.send(Buffer.from([]));
      socket.send(new Uint16Array([0x0201]));
      serverSocket.send('s3');
      serverSocket.send(Buffer.from([7, 7, 7]));
      if (mode.finalTransport !== socket.transport.name) await waitFor(socket, 'upgrade');
      serverSocket.send('s4');
      serverSocket.send(new Uint8Array([255, 0]));
      assert.deepEqual((await serverReceived).map(normalise), ['c1', [1, 2, 3], [4], 'c2 ünïcödé ✓', [1, 2]]);
      assert.deepEqual((await clientReceived).map(normalise), [
        's1',
        [9, 8],
        's2',
        [],
        's3',
        [7, 7, 7],
        's4',
        [255, 0],
      ]);
    });

    it('sends its query parameters and extra headers with the handshake', async () => {
      const serverSide = waitFor<[EngineServerSocket]>(server.engine, 'connection');
      connect({ query: { token: 'a b/é' }, extraHeaders: { 'x-switchboard': 'yes' } });
      const [serverSocket] = await serverSide;
      const url = new URL(serverSocket.request.url ?? '', 'http://localhost');
      assert.equal(url.searchParams.get('token'), 'a b/é');
      assert.equal(url.searchParams.get('EIO'), '4');
      assert.equal(serverSocket.request.headers['x-switchboard'], 'yes');
    });

    it('hands binary out as Buffers by default in Node and as ArrayBuffers with binaryType "arraybuffer"', async () => {
      const serverSide = waitFor<[EngineServerSocket]>(server.engine, 'connection');
      const socket = connect();
      const [serverSocket] = await serverSide;
      serverSocket.send(Buffer.from([1]));
      const [first] = await waitFor<[unknown]>(socket, 'message');
      assert.ok(Buffer.isBuffer(first));
      socket.binaryType = 'arraybuffer';
      serverSocket.send(Buffer.from([2]));
      const [second] = await waitFor<[unknown]>(socket, 'message');
      assert.ok(second instanceof ArrayBuffer);
      assert.deepEqual(normalise(second), [2]);
    });

    it('answers the server pings so the session outlives several ping intervals', async () => {
      const serverSide = waitFor<[EngineServerSocket]>(server.engine, 'connection');
      const socket = connect();
      const [serverSocket] = await serverSide;
      const pings = await collect(socket, 'ping', 3, 6000);
      assert.equal(pings.length, 3);
      assert.equal(serverSocket.readyState, 'open');
      assert.equal(socket.readyState, 'open');
    });

    it("closes with 'ping timeout' when the server stops pinging", async () => {
      const serverSide = waitFor<[EngineServerSocket]>(server.engine, 'connection');
      const socket = connect();
      const [serverSocket] = await serverSide;
      silenceOfficialSocket(serverSocket);
      const started = Date.now();
      const [reason] = await waitFor<[string]>(socket, 'close');
      assert.equal(reason, 'ping timeout');
      // pingInterval + pingTimeout = 500 ms; allow the timer some slack on a busy machine.
      assert.ok(Date.now() - started >= 450, `closed after ${Date.now() - started} ms`);
      assert.equal(socket.readyState, 'closed');
    });

    it("closes with 'forced close' on close(), and the server sees 'transport close'", async () => {
      const serverSide = waitFor<[EngineServerSocket]>(server.engine, 'connection');
      const socket = connect();
      const [serverSocket] = await serverSide;
      await waitFor(socket, 'open');
      if (mode.finalTransport !== socket.transport.name) await waitFor(socket, 'upgrade');
      const serverClosed = waitFor<[string]>(serverSocket, 'close');
      socket.send('last words');
      const lastMessage = waitFor<[string]>(serverSocket, 'message');
      const clientClosed = waitFor<[string]>(socket, 'close');
      socket.close();
      assert.equal(socket.readyState, 'closing');
      assert.deepEqual(await lastMessage, ['last words']);
      assert.equal((await clientClosed)[0], 'forced close');
      assert.equal((await serverClosed)[0], 'transport close');
    });

    it("closes with 'transport close' when the server closes the session", async () => {
      const serverSide = waitFor<[EngineServerSocket]>(server.engine, 'connection');
      const socket = connect();
      const [serverSocket] = await serverSide;
      await waitFor(socket, 'open');
      const clientClosed = waitFor<[string]>(socket, 'close');
      serverSocket.close();
      assert.equal((await clientClosed)[0], 'transport close');
    });
  });
}

describe('engine client polling in Node', () => {
  let server: OfficialServer;
  before(async () => {
    server = await startOfficialServer({ maxHttpBufferSize: 200 });
    server.engine.on('connection', (socket: EngineServerSocket) => {
      socket.on('message', (data: string | Buffer) => socket.send(data));
    });
  });
  after(() => server.close());

  it('connects from hostname and port options alone, without a URI', async () => {
    const socket = new Socket({ hostname: '127.0.0.1', port: server.port, secure: false });
    try {
      await waitFor(socket, 'open');
      assert.equal(socket.transport.name, 'polling');
    } finally {
      socket.close();
    }
  });

  it('sends binary as base64 text frames over WebSocket with forceBase64', async () => {
    const serverSide = waitFor<[EngineServerSocket]>(server.engine, 'connection');
    const socket = new Socket(server.url, { transports: ['websocket'], forceBase64: true });
    try {
      const [serverSocket] = await serverSide;
      // The raw `ws` socket under the official server's transport shows how the frame travelled.
      const ws = (
        serverSocket.transport as unknown as {
          socket: { on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): void };
        }
      ).socket;
      const frames: string[] = [];
      ws.on('message', (data, isBinary) => frames.push(isBinary ? 'binary' : data.toString()));
      const received = waitFor<[Buffer]>(serverSocket, 'message');
      socket.send(new Uint8Array([1, 2, 250]));
      assert.deepEqual(normalise((await received)[0]), [1, 2, 250]);
      assert.deepEqual(frames, ['bAQL6']);
    } finally {
      socket.close();
    }
  });

  it('reuses keep-alive connections across many polling requests', async () => {
    let connections = 0;
    const countConnection = (): void => {
      connections++;
    };
    server.http.on('connection', countConnection);
    const socket = new Socket(server.url, { transports: ['polling'] });
    try {
      await waitFor(socket, 'open');
      for (let i = 0; i < 20; i++) {
        const echoed = waitFor<[string]>(socket, 'message');
        socket.send('round ' + i);
        assert.deepEqual(await echoed, ['round ' + i]);
      }
      // One connection for the pending GET, one for the POSTs (a third if a response races a new request).
      assert.ok(connections <= 3, `${connections} TCP connections for 41+ requests`);
    } finally {
      server.http.off('connection', countConnection);
      socket.close();
    }
  });

  it("splits a burst of writes into POSTs that fit the server's maxHttpBufferSize, in order", async () => {
    const socket = new Socket(server.url, { transports: ['polling'] });
    try {
      await waitFor(socket, 'open');
      const expected = Array.from({ length: 12 }, (_, i) => `message ${i} `.padEnd(40, '.'));
      const echoed = collect<string>(socket, 'message', expected.length);
      let closed = '';
      socket.on('close', (reason) => (closed = reason));
      for (const text of expected) socket.send(text);
      assert.deepEqual(await echoed, expected);
      assert.equal(closed, '');
    } finally {
      socket.close();
    }
  });
});

describe('engine client cookies in Node', () => {
  let server: OfficialServer;
  const seen: { kind: string; cookie: string | undefined }[] = [];
  before(async () => {
    server = await startOfficialServer();
    // A load balancer's affinity cookie, set on the handshake response.
    server.engine.on('initial_headers', (headers: Record<string, string | string[]>) => {
      headers['set-cookie'] = ['sticky=node-7; Path=/; HttpOnly'];
    });
    server.http.on('request', (req: IncomingMessage) =>
      seen.push({ kind: req.method ?? '', cookie: req.headers.cookie }),
    );
    server.http.on('upgrade', (req: IncomingMessage) => seen.push({ kind: 'upgrade', cookie: req.headers.cookie }));
  });
  after(() => server.close());

  it('sends the cookies the server set back on later requests and the WebSocket handshake with withCredentials', async () => {
    seen.length = 0;
    const socket = new Socket(server.url, { withCredentials: true });
    try {
      await waitFor(socket, 'upgrade');
      socket.send('after upgrade');
      assert.deepEqual(seen[0], { kind: 'GET', cookie: undefined });
      assert.ok(seen.length >= 3, `only ${seen.length} requests`);
      assert.deepEqual(
        seen.slice(1).filter((request) => request.cookie !== 'sticky=node-7'),
        [],
        'every request after the handshake carries the cookie',
      );
      assert.ok(seen.some((request) => request.kind === 'upgrade'));
    } finally {
      socket.close();
    }
  });

  it('sends no cookies without withCredentials', async () => {
    seen.length = 0;
    const socket = new Socket(server.url);
    try {
      await waitFor(socket, 'upgrade');
      assert.deepEqual(
        seen.filter((request) => request.cookie !== undefined),
        [],
      );
    } finally {
      socket.close();
    }
  });
});

describe('engine client connection failures', () => {
  let server: OfficialServer;
  before(async () => {
    server = await startOfficialServer({ allowRequest: (_req, callback) => callback('refused', false) });
  });
  after(() => server.close());

  it("reports a TransportError and closes with 'transport error' when the handshake is refused", async () => {
    const socket = new Socket(server.url, { transports: ['polling'] });
    const errored = waitFor<[Error & { code?: string; description?: unknown }]>(socket, 'error');
    const closed = waitFor<[string]>(socket, 'close');
    const [err] = await errored;
    const [reason] = await closed;
    assert.equal(err.message, 'xhr poll error');
    assert.equal(err.code, 'EIO_ERR_TRANSPORT');
    assert.equal(err.description, 403);
    assert.equal(reason, 'transport error');
  });

  it("gives up on a polling request after requestTimeout with 'xhr poll error'", async () => {
    // A server that accepts connections and never answers.
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as AddressInfo;
      const socket = new Socket(`http://127.0.0.1:${port}`, { transports: ['polling'], requestTimeout: 200 });
      const started = Date.now();
      const [err] = await waitFor<[Error & { code?: string }]>(socket, 'error');
      assert.equal(err.message, 'xhr poll error');
      assert.equal(err.code, 'EIO_ERR_TRANSPORT');
      assert.ok(Date.now() - started >= 150, 'gave up before requestTimeout');
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  it("reports 'websocket error' when the WebSocket handshake is refused", async () => {
    const socket = new Socket(server.url, { transports: ['websocket'] });
    const [err] = await waitFor<[Error & { code?: string }]>(socket, 'error');
    assert.equal(err.message, 'websocket error');
    assert.equal(err.code, 'EIO_ERR_TRANSPORT');
  });
});
