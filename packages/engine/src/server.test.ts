import assert from 'node:assert/strict';
import type { OutgoingHttpHeaders } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { ConnectionErrorEvent } from './server-events.js';
import type { Socket } from './socket.js';
import { OPEN_KEYS, pollingHandshake, send, startEngine, until, waitFor } from './testing/harness.js';
import type { Harness } from './testing/harness.js';

const ENDPOINT = '/engine.io/';

describe('polling handshake and exchange', () => {
  let h: Harness;
  before(async () => {
    h = await startEngine({ pingInterval: 10_000, pingTimeout: 5_000 });
  });
  after(() => h.close());

  it('answers the handshake with an open packet whose keys come in the protocol order', async () => {
    const res = await send(h.port, `${ENDPOINT}?EIO=4&transport=polling`);
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'text/plain; charset=UTF-8');
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.match(
      res.body,
      /^0\{"sid":"[A-Za-z0-9_-]{20}","upgrades":\["websocket"\],"pingInterval":10000,"pingTimeout":5000,"maxPayload":1000000\}$/,
    );
    assert.deepEqual(Object.keys(JSON.parse(res.body.slice(1)) as object), OPEN_KEYS);
  });

  it('sends what connection listeners send in the handshake response, after the open packet', async () => {
    const onConnection = (socket: Socket): void => {
      socket.send('welcome');
    };
    h.engine.once('connection', onConnection);
    const { body } = await pollingHandshake(h.port);
    assert.equal(body.split('\x1e')[1], '4welcome');
  });

  it('delivers POSTed text and binary messages in order and answers ok', async () => {
    const connected = waitFor<[Socket]>(h.engine, 'connection');
    const { sid } = await pollingHandshake(h.port);
    const [socket] = await connected;
    const messages: unknown[] = [];
    socket.on('message', (data) => messages.push(data));
    const res = await send(h.port, `${ENDPOINT}?EIO=4&transport=polling&sid=${sid}`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
      body: '4hello\x1ebAQID\x1e4é',
    });
    assert.equal(res.status, 200);
    assert.equal(res.body, 'ok');
    assert.equal(res.headers['content-type'], 'text/html');
    assert.deepEqual(messages, ['hello', Buffer.from([1, 2, 3]), 'é']);
  });

  it('answers a pending GET with every packet queued in the same turn, binary as b-prefixed base64', async () => {
    const connected = waitFor<[Socket]>(h.engine, 'connection');
    const { sid } = await pollingHandshake(h.port);
    const [socket] = await connected;
    const poll = send(h.port, `${ENDPOINT}?EIO=4&transport=polling&sid=${sid}`);
    await until(() => socket.transport.writable);
    socket.send('a');
    socket.send(Buffer.from([0xff, 0]));
    socket.send('c');
    const res = await poll;
    assert.equal(res.body, '4a\x1eb/wA=\x1e4c');
  });

  it('pings every pingInterval over polling and takes the pong', async () => {
    const fast = await startEngine({ pingInterval: 50, pingTimeout: 1000 });
    try {
      const connected = waitFor<[Socket]>(fast.engine, 'connection');
      const { sid } = await pollingHandshake(fast.port);
      const [socket] = await connected;
      const res = await send(fast.port, `${ENDPOINT}?EIO=4&transport=polling&sid=${sid}`);
      assert.equal(res.body, '2');
      const heartbeat = waitFor(socket, 'heartbeat');
      await send(fast.port, `${ENDPOINT}?EIO=4&transport=polling&sid=${sid}`, { method: 'POST', body: '3' });
      await heartbeat;
      assert.equal(socket.readyState, 'open');
    } finally {
      await fast.close();
    }
  });

  it('closes the session with "ping timeout" when no pong arrives within pingTimeout', async () => {
    const fast = await startEngine({ pingInterval: 100, pingTimeout: 100 });
    try {
      // Timed from the session's opening on the server: the deadlines count from there, not from when the client got
      // its handshake answer (later on a loaded machine).
      let openedAt = 0;
      const connected = new Promise<Socket>((resolve) =>
        fast.engine.once('connection', (socket: Socket) => {
          openedAt = performance.now();
          resolve(socket);
        }),
      );
      await pollingHandshake(fast.port);
      const socket = await connected;
      const [reason] = await waitFor<[string]>(socket, 'close', 2000);
      assert.equal(reason, 'ping timeout');
      assert.ok(performance.now() - openedAt >= 199, 'closed before pingInterval + pingTimeout');
      assert.equal(fast.engine.clientsCount, 0);
    } finally {
      await fast.close();
    }
  });

  it('lets go of the polling transport at once on "ping timeout", without waiting for a GET to carry the close', async () => {
    const fast = await startEngine({ pingInterval: 50, pingTimeout: 50 });
    try {
      const connected = waitFor<[Socket]>(fast.engine, 'connection');
      await pollingHandshake(fast.port);
      const [socket] = await connected;
      assert.equal((await waitFor<[string]>(socket, 'close', 2000))[0], 'ping timeout');
      assert.equal(socket.transport.readyState, 'closed');
    } finally {
      await fast.close();
    }
  });

  it('ends the session when the client sends close: the pending GET gets a noop and later requests 400', async () => {
    const connected = waitFor<[Socket]>(h.engine, 'connection');
    const { sid } = await pollingHandshake(h.port);
    const [socket] = await connected;
    const poll = send(h.port, `${ENDPOINT}?EIO=4&transport=polling&sid=${sid}`);
    await until(() => socket.transport.writable);
    const closed = waitFor<[string]>(socket, 'close');
    await send(h.port, `${ENDPOINT}?EIO=4&transport=polling&sid=${sid}`, { method: 'POST', body: '1' });
    assert.equal((await poll).body, '6');
    assert.deepEqual(await closed, ['transport close', undefined]);
    const later = await send(h.port, `${ENDPOINT}?EIO=4&transport=polling&sid=${sid}`);
    assert.equal(later.status, 400);
    assert.deepEqual(JSON.parse(later.body), { code: 1, message: 'Session ID unknown' });
  });

  it('sends the close packet on the pending GET when the server closes the session', async () => {
    const connected = waitFor<[Socket]>(h.engine, 'connection');
    const { sid } = await pollingHandshake(h.port);
    const [socket] = await connected;
    const poll = send(h.port, `${ENDPOINT}?EIO=4&transport=polling&sid=${sid}`);
    await until(() => socket.transport.writable);
    const closed = waitFor<[string]>(socket, 'close');
    socket.close();
    assert.equal((await poll).body, '1');
    assert.equal((await closed)[0], 'forced close');
  });

  it('closes the session with "transport error" when the client abandons its pending GET', async () => {
    const { request } = await import('node:http');
    const connected = waitFor<[Socket]>(h.engine, 'connection');
    const { sid } = await pollingHandshake(h.port);
    const [socket] = await connected;
    const closed = waitFor<[string, Error]>(socket, 'close');
    const req = request({
      host: '127.0.0.1',
      port: h.port,
      path: `${ENDPOINT}?EIO=4&transport=polling&sid=${sid}`,
      agent: false,
    });
    req.on('error', () => undefined);
    req.end();
    await until(() => socket.transport.writable);
    req.destroy();
    const [reason, error] = await closed;
    assert.equal(reason, 'transport error');
    assert.equal((error as { code?: string }).code, 'EIO_ERR_TRANSPORT_CLOSED');
  });

  it('passes requests outside the path to the HTTP server’s own listener', async () => {
    const res = await send(h.port, '/elsewhere');
    assert.equal(res.status, 404);
    assert.equal(res.body, 'not engine');
  });

  it('sets the io cookie on the handshake when the cookie option is on', async () => {
    const withCookie = await startEngine({ cookie: true });
    try {
      const res = await send(withCookie.port, `${ENDPOINT}?EIO=4&transport=polling`);
      const sid = (JSON.parse(res.body.slice(1)) as { sid: string }).sid;
      assert.deepEqual(res.headers['set-cookie'], [`io=${sid}; Path=/; HttpOnly; SameSite=Lax`]);
    } finally {
      await withCookie.close();
    }
  });

  it('lets initial_headers and headers listeners add response headers', async () => {
    const onInitial = (headers: OutgoingHttpHeaders): void => {
      headers['x-initial'] = 'yes';
    };
    h.engine.once('initial_headers', onInitial);
    const res = await send(h.port, `${ENDPOINT}?EIO=4&transport=polling`);
    assert.equal(res.headers['x-initial'], 'yes');
  });

  it('gzips polling responses over the threshold when the client accepts gzip', async () => {
    const connected = waitFor<[Socket]>(h.engine, 'connection');
    const { sid } = await pollingHandshake(h.port);
    const [socket] = await connected;
    socket.send('x'.repeat(5000));
    const res = await send(h.port, `${ENDPOINT}?EIO=4&transport=polling&sid=${sid}`, {
      headers: { 'Accept-Encoding': 'gzip, deflate' },
    });
    assert.equal(res.headers['content-encoding'], 'gzip');
    const { gunzipSync } = await import('node:zlib');
    assert.equal(gunzipSync(res.bytes).toString(), `4${'x'.repeat(5000)}`);
  });
});

describe('polling response compression', () => {
  it('leaves responses under the threshold, or to clients without Accept-Encoding, uncompressed', async () => {
    const h = await startEngine({ httpCompression: { threshold: 100 } });
    try {
      const connected = waitFor<[Socket]>(h.engine, 'connection');
      const { sid } = await pollingHandshake(h.port);
      const [socket] = await connected;
      socket.send('small');
      const small = await send(h.port, `${ENDPOINT}?EIO=4&transport=polling&sid=${sid}`, {
        headers: { 'Accept-Encoding': 'gzip' },
      });
      assert.equal(small.headers['content-encoding'], undefined);
      socket.send('y'.repeat(500));
      const big = await send(h.port, `${ENDPOINT}?EIO=4&transport=polling&sid=${sid}`);
      assert.equal(big.headers['content-encoding'], undefined);
      assert.equal(big.body, `4${'y'.repeat(500)}`);
    } finally {
      await h.close();
    }
  });

  it('uses deflate when the client accepts only deflate, and nothing when httpCompression is false', async () => {
    const { inflateSync } = await import('node:zlib');
    for (const [options, expected] of [
      [{}, 'deflate'],
      [{ httpCompression: false as const }, undefined],
    ] as const) {
      const h = await startEngine(options);
      try {
        const connected = waitFor<[Socket]>(h.engine, 'connection');
        const { sid } = await pollingHandshake(h.port);
        const [socket] = await connected;
        socket.send('z'.repeat(2000));
        const res = await send(h.port, `${ENDPOINT}?EIO=4&transport=polling&sid=${sid}`, {
          headers: { 'Accept-Encoding': 'deflate' },
        });
        assert.equal(res.headers['content-encoding'], expected);
        const body = expected === 'deflate' ? inflateSync(res.bytes).toString() : res.body;
        assert.equal(body, `4${'z'.repeat(2000)}`);
      } finally {
        await h.close();
      }
    }
  });
});

describe('polling endpoint refusals', () => {
  let h: Harness;
  const errors: ConnectionErrorEvent[] = [];
  before(async () => {
    h = await startEngine({ maxHttpBufferSize: 100, pingInterval: 10_000 });
    h.engine.on('connection_error', (event: ConnectionErrorEvent) => errors.push(event));
  });
  after(() => h.close());

  async function assertStillServing(): Promise<void> {
    const { sid } = await pollingHandshake(h.port);
    assert.equal(sid.length, 20);
  }

  const cases: Array<[string, string, { method?: string }, number, object]> = [
    ['an unknown transport', '?EIO=4&transport=carrier-pigeon', {}, 400, { code: 0, message: 'Transport unknown' }],
    ['a missing transport', '?EIO=4', {}, 400, { code: 0, message: 'Transport unknown' }],
    ['an unknown sid', '?EIO=4&transport=polling&sid=nope', {}, 400, { code: 1, message: 'Session ID unknown' }],
    [
      'a POST handshake',
      '?EIO=4&transport=polling',
      { method: 'POST' },
      400,
      { code: 2, message: 'Bad handshake method' },
    ],
    [
      'a WebSocket handshake over plain HTTP',
      '?EIO=4&transport=websocket',
      {},
      400,
      { code: 3, message: 'Bad request' },
    ],
    [
      'EIO=3 without allowEIO3',
      '?EIO=3&transport=polling',
      {},
      400,
      { code: 5, message: 'Unsupported protocol version' },
    ],
    ['a missing EIO', '?transport=polling', {}, 400, { code: 5, message: 'Unsupported protocol version' }],
    ['an invalid EIO', '?EIO=banana&transport=polling', {}, 400, { code: 5, message: 'Unsupported protocol version' }],
  ];
  for (const [name, query, init, status, body] of cases) {
    it(`refuses ${name} with ${status} ${JSON.stringify(body)} and keeps serving`, async () => {
      const res = await send(h.port, `${ENDPOINT}${query}`, init);
      assert.equal(res.status, status);
      assert.equal(res.headers['content-type'], 'application/json');
      assert.deepEqual(JSON.parse(res.body), body);
      assert.equal(errors.at(-1)?.code, (body as { code: number }).code);
      await assertStillServing();
    });
  }

  it('answers 500 to a method other than GET or POST on a session', async () => {
    const { sid } = await pollingHandshake(h.port);
    const res = await send(h.port, `${ENDPOINT}?EIO=4&transport=polling&sid=${sid}`, { method: 'PUT' });
    assert.equal(res.status, 500);
    await assertStillServing();
  });

  it('refuses a second concurrent GET with 400, closes the session, and answers the first GET with close', async () => {
    const connected = waitFor<[Socket]>(h.engine, 'connection');
    const { sid } = await pollingHandshake(h.port);
    const [socket] = await connected;
    const closed = waitFor<[string]>(socket, 'close');
    const first = send(h.port, `${ENDPOINT}?EIO=4&transport=polling&sid=${sid}`);
    await until(() => socket.transport.writable);
    const second = await send(h.port, `${ENDPOINT}?EIO=4&transport=polling&sid=${sid}`);
    assert.equal(second.status, 400);
    assert.equal((await first).body, '1');
    assert.equal((await closed)[0], 'transport error');
    await assertStillServing();
  });

  it('refuses an octet-stream POST on v4 with 400 and closes the session', async () => {
    const connected = waitFor<[Socket]>(h.engine, 'connection');
    const { sid } = await pollingHandshake(h.port);
    const [socket] = await connected;
    const closed = waitFor<[string]>(socket, 'close');
    const res = await send(h.port, `${ENDPOINT}?EIO=4&transport=polling&sid=${sid}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream' },
      body: Buffer.from([4, 1, 2]),
    });
    assert.equal(res.status, 400);
    assert.equal((await closed)[0], 'transport error');
    await assertStillServing();
  });

  it('refuses a POST body over maxHttpBufferSize with 413', async () => {
    const { sid } = await pollingHandshake(h.port);
    const res = await send(h.port, `${ENDPOINT}?EIO=4&transport=polling&sid=${sid}`, {
      method: 'POST',
      body: `4${'x'.repeat(200)}`,
    });
    assert.equal(res.status, 413);
    await assertStillServing();
  });

  it('closes the session with "parse error" on a malformed payload', async () => {
    const connected = waitFor<[Socket]>(h.engine, 'connection');
    const { sid } = await pollingHandshake(h.port);
    const [socket] = await connected;
    const closed = waitFor<[string]>(socket, 'close');
    await send(h.port, `${ENDPOINT}?EIO=4&transport=polling&sid=${sid}`, { method: 'POST', body: '9nonsense' });
    assert.equal((await closed)[0], 'parse error');
    await assertStillServing();
  });

  it('closes a v4 session whose client pings, as the heartbeat goes the other way', async () => {
    const connected = waitFor<[Socket]>(h.engine, 'connection');
    const { sid } = await pollingHandshake(h.port);
    const [socket] = await connected;
    const closed = waitFor<[string]>(socket, 'close');
    await send(h.port, `${ENDPOINT}?EIO=4&transport=polling&sid=${sid}`, { method: 'POST', body: '2' });
    assert.equal((await closed)[0], 'transport error');
  });

  it('answers 403 with the allowRequest message when allowRequest refuses', async () => {
    const guarded = await startEngine({ allowRequest: (_req, callback) => callback('no thanks', false) });
    try {
      const res = await send(guarded.port, `${ENDPOINT}?EIO=4&transport=polling`);
      assert.equal(res.status, 403);
      assert.deepEqual(JSON.parse(res.body), { code: 4, message: 'no thanks' });
    } finally {
      await guarded.close();
    }
  });
});
