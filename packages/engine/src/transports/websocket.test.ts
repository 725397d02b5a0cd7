import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { WebSocketServer } from 'ws';
import type { Socket } from '../socket.js';
import { pollingHandshake, RawWebSocket, send, startEngine, until, waitFor } from '../testing/harness.js';
import type { Harness } from '../testing/harness.js';

const V4_WS = 'EIO=4&transport=websocket';

/** Sends a raw HTTP upgrade and resolves with everything the server wrote before closing. */
function rawUpgrade(port: number, query: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
    socket.write(
      `GET /engine.io/?${query} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
  });
}

describe('WebSocket-only sessions', () => {
  let h: Harness;
  const clients: RawWebSocket[] = [];
  const open = (query = V4_WS): RawWebSocket => {
    const client = new RawWebSocket(h.port, query);
    clients.push(client);
    return client;
  };
  before(async () => {
    h = await startEngine({ pingInterval: 10_000, maxHttpBufferSize: 100 });
  });
  after(async () => {
    for (const client of clients) client.close();
    await h.close();
  });

  it('opens with an open packet that offers no upgrades', async () => {
    const client = open();
    const open0 = String(await client.next());
    assert.match(
      open0,
      /^0\{"sid":"[\w-]{20}","upgrades":\[\],"pingInterval":10000,"pingTimeout":20000,"maxPayload":100\}$/,
    );
  });

  it('carries text and binary both ways, text as text frames and binary as raw binary frames', async () => {
    const connected = waitFor<[Socket]>(h.engine, 'connection');
    const client = open();
    const [socket] = await connected;
    await client.next();
    const received: unknown[] = [];
    socket.on('message', (data) => received.push(data));
    client.send('4hi');
    client.send(Buffer.from([1, 2, 3]));
    await until(() => received.length === 2);
    assert.deepEqual(received, ['hi', Buffer.from([1, 2, 3])]);
    socket.send('back');
    socket.send(Buffer.from([9, 8]));
    assert.equal(await client.next(), '4back');
    assert.deepEqual(await client.next(), Buffer.from([9, 8]));
    assert.equal(socket.transport.name, 'websocket');
  });

  it('closes a second WebSocket that names a WebSocket session', async () => {
    const connected = waitFor<[Socket]>(h.engine, 'connection');
    const first = open();
    const [socket] = await connected;
    await first.next();
    const second = open(`${V4_WS}&sid=${socket.id}`);
    assert.equal(await second.closed(), 1005);
    socket.send('still here');
    assert.equal(await first.next(), '4still here');
  });

  it('closes the connection with 1009 on a frame over maxHttpBufferSize and keeps serving others', async () => {
    const connected = waitFor<[Socket]>(h.engine, 'connection');
    const client = open();
    const [socket] = await connected;
    await client.next();
    const closed = waitFor<[string]>(socket, 'close');
    client.send(`4${'x'.repeat(200)}`);
    assert.equal(await client.closed(), 1009);
    assert.equal((await closed)[0], 'transport error');
    const other = open();
    assert.match(String(await other.next()), /^0\{/);
  });

  it('closes the session with "parse error" on an undecodable frame', async () => {
    const connected = waitFor<[Socket]>(h.engine, 'connection');
    const client = open();
    const [socket] = await connected;
    await client.next();
    const closed = waitFor<[string]>(socket, 'close');
    client.send('9what');
    assert.equal((await closed)[0], 'parse error');
  });

  it('refuses upgrades with an unknown sid, an unknown transport or a bad EIO with a plain 400', async () => {
    assert.match(
      await rawUpgrade(h.port, `${V4_WS}&sid=unknown`),
      /^HTTP\/1\.1 400 Bad Request\r\n[\s\S]*\r\n\r\nSession ID unknown$/,
    );
    assert.match(await rawUpgrade(h.port, 'EIO=4&transport=smoke'), /400 Bad Request[\s\S]*Transport unknown$/);
    assert.match(
      await rawUpgrade(h.port, 'EIO=2&transport=websocket'),
      /400 Bad Request[\s\S]*Unsupported protocol version$/,
    );
    const client = open();
    assert.match(String(await client.next()), /^0\{/);
  });
});

describe('WebSocket heartbeat', () => {
  it('closes a WebSocket session with "ping timeout" when the client does not answer the ping', async () => {
    const h = await startEngine({ pingInterval: 100, pingTimeout: 100 });
    const client = new RawWebSocket(h.port, V4_WS);
    try {
      const connected = waitFor<[Socket]>(h.engine, 'connection');
      const [socket] = await connected;
      const closed = waitFor<[string]>(socket, 'close', 2000);
      await client.next();
      assert.equal(await client.next(), '2');
      assert.equal((await closed)[0], 'ping timeout');
    } finally {
      client.close();
      await h.close();
    }
  });

  it('destroys the TCP connection on "ping timeout" instead of waiting for the silent client’s close frame', async () => {
    const h = await startEngine({ pingInterval: 50, pingTimeout: 50 });
    const serverSockets: import('node:net').Socket[] = [];
    h.http.on('connection', (tcp: import('node:net').Socket) => serverSockets.push(tcp));
    const client = new RawWebSocket(h.port, V4_WS);
    try {
      const [socket] = await waitFor<[Socket]>(h.engine, 'connection');
      await client.next();
      // A dead client: it reads nothing more, so it neither pongs nor answers a close frame.
      (client.ws as unknown as { _socket: import('node:net').Socket })._socket.pause();
      assert.equal((await waitFor<[string]>(socket, 'close', 2000))[0], 'ping timeout');
      const [tcp] = serverSockets;
      assert.ok(tcp !== undefined);
      await until(() => tcp.destroyed, 1000);
    } finally {
      client.close();
      await h.close();
    }
  });

  it('keeps a session that answers pings alive past several intervals', async () => {
    const h = await startEngine({ pingInterval: 50, pingTimeout: 100 });
    const client = new RawWebSocket(h.port, V4_WS);
    try {
      const [socket] = await waitFor<[Socket]>(h.engine, 'connection');
      await client.next();
      for (let i = 0; i < 4; i++) {
        assert.equal(await client.next(), '2');
        client.send('3');
      }
      assert.equal(socket.readyState, 'open');
    } finally {
      client.close();
      await h.close();
    }
  });
});

describe('polling to WebSocket upgrade', () => {
  let h: Harness;
  before(async () => {
    h = await startEngine({ pingInterval: 10_000, upgradeTimeout: 200 });
  });
  after(() => h.close());

  const poll = (sid: string) => send(h.port, `/engine.io/?EIO=4&transport=polling&sid=${sid}`);

  it('probes, pauses polling with a noop, switches on upgrade, and keeps every message in order', async () => {
    const connected = waitFor<[Socket]>(h.engine, 'connection');
    const { sid } = await pollingHandshake(h.port);
    const [socket] = await connected;
    const pending = poll(sid);
    await until(() => socket.transport.writable);
    const ws = new RawWebSocket(h.port, `${V4_WS}&sid=${sid}`);
    try {
      await ws.opened();
      const upgrading = waitFor(socket, 'upgrading');
      ws.send('2probe');
      assert.equal(await ws.next(), '3probe');
      await upgrading;
      // 1. the pending GET is released with a noop so the client can pause polling
      assert.equal((await pending).body, '6');
      // 2. what the server sends while the client is paused must wait for the WebSocket, in order
      socket.send('m1');
      socket.send(Buffer.from([1]));
      socket.send('m2');
      const upgraded = waitFor(socket, 'upgrade');
      ws.send('5');
      await upgraded;
      socket.send('m3');
      assert.deepEqual(
        [await ws.next(), await ws.next(), await ws.next(), await ws.next()],
        ['4m1', Buffer.from([1]), '4m2', '4m3'],
      );
      assert.equal(socket.transport.name, 'websocket');
      assert.equal(socket.upgraded, true);
      // 3. polling with this sid is now a transport mismatch
      const late = await poll(sid);
      assert.equal(late.status, 400);
      assert.deepEqual(JSON.parse(late.body), { code: 3, message: 'Bad request' });
      // 4. a second WebSocket for the session is closed
      const second = new RawWebSocket(h.port, `${V4_WS}&sid=${sid}`);
      assert.equal(await second.closed(), 1005);
      const received = waitFor<[unknown]>(socket, 'message');
      ws.send('4after');
      assert.deepEqual(await received, ['after']);
    } finally {
      ws.close();
    }
  });

  it('answers a GET that arrives after the probe with a noop', async () => {
    const connected = waitFor<[Socket]>(h.engine, 'connection');
    const { sid } = await pollingHandshake(h.port);
    const [socket] = await connected;
    const ws = new RawWebSocket(h.port, `${V4_WS}&sid=${sid}`);
    try {
      await ws.opened();
      ws.send('2probe');
      assert.equal(await ws.next(), '3probe');
      assert.equal((await poll(sid)).body, '6');
      assert.equal(socket.transport.name, 'polling');
    } finally {
      ws.close();
    }
  });

  it('cancels an upgrade that does not finish within upgradeTimeout and keeps polling', async () => {
    const connected = waitFor<[Socket]>(h.engine, 'connection');
    const { sid } = await pollingHandshake(h.port);
    const [socket] = await connected;
    const ws = new RawWebSocket(h.port, `${V4_WS}&sid=${sid}`);
    await ws.opened();
    assert.equal(await ws.closed(1000), 1005);
    assert.equal(socket.upgrading, false);
    socket.send('still polling');
    assert.equal((await poll(sid)).body, '4still polling');
  });

  it('cancels the upgrade when the new transport sends anything but probe and upgrade', async () => {
    const connected = waitFor<[Socket]>(h.engine, 'connection');
    const { sid } = await pollingHandshake(h.port);
    const [socket] = await connected;
    const ws = new RawWebSocket(h.port, `${V4_WS}&sid=${sid}`);
    await ws.opened();
    ws.send('4too early');
    await ws.closed();
    assert.equal(socket.readyState, 'open');
    assert.equal(socket.transport.name, 'polling');
  });
});

describe('Engine.IO v3 over WebSocket', () => {
  it('frames binary messages with the leading message-type byte both ways', async () => {
    const h = await startEngine({ allowEIO3: true, pingInterval: 10_000 });
    const client = new RawWebSocket(h.port, 'EIO=3&transport=websocket');
    try {
      const [socket] = await waitFor<[Socket]>(h.engine, 'connection');
      assert.match(String(await client.next()), /^0\{"sid"/);
      socket.send(Buffer.from([1, 2]));
      assert.deepEqual(await client.next(), Buffer.from([4, 1, 2]));
      const received = waitFor<[unknown]>(socket, 'message');
      client.send(Buffer.from([4, 9, 9]));
      assert.deepEqual(await received, [Buffer.from([9, 9])]);
    } finally {
      client.close();
      await h.close();
    }
  });
});

describe('the wsEngine option', () => {
  it('builds WebSocket sessions on the given ws-compatible server class, in noServer mode with the engine limits', async () => {
    const seen: { options: unknown[]; upgrades: number } = { options: [], upgrades: 0 };
    class CountingServer extends WebSocketServer {
      constructor(options: ConstructorParameters<typeof WebSocketServer>[0]) {
        super(options);
        seen.options.push(options);
      }
      override handleUpgrade(...args: Parameters<WebSocketServer['handleUpgrade']>): void {
        seen.upgrades++;
        super.handleUpgrade(...args);
      }
    }
    const h = await startEngine({ wsEngine: CountingServer, maxHttpBufferSize: 1234 });
    const client = new RawWebSocket(h.port, V4_WS);
    try {
      const connected = waitFor<[Socket]>(h.engine, 'connection');
      assert.match(String(await client.next()), /^0\{"sid":/);
      const [socket] = await connected;
      const received = waitFor<[string]>(socket, 'message');
      client.send('4through the custom engine');
      assert.deepEqual(await received, ['through the custom engine']);
      assert.equal(seen.upgrades, 1);
      assert.deepEqual(seen.options, [
        {
          noServer: true,
          clientTracking: false,
          perMessageDeflate: false,
          maxPayload: 1234,
          maxBufferedChunks: 10_000,
        },
      ]);
    } finally {
      client.close();
      await h.close();
    }
  });
});
