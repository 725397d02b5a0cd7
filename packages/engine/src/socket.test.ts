import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { attach, listen } from './listen.js';
import type { Socket } from './socket.js';
import { pollingHandshake, RawWebSocket, send, startEngine, until, waitFor } from './testing/harness.js';

describe('session API', () => {
  it('keeps a small handshake record with headers, url, method, query and the peer address', async () => {
    const h = await startEngine();
    try {
      const connected = waitFor<[Socket]>(h.engine, 'connection');
      await send(h.port, '/engine.io/?EIO=4&transport=polling&token=abc', { headers: { 'X-Test': 'yes' } });
      const [socket] = await connected;
      assert.equal(socket.request.headers['x-test'], 'yes');
      assert.equal(socket.request.url, '/engine.io/?EIO=4&transport=polling&token=abc');
      assert.equal(socket.request.method, 'GET');
      assert.equal(socket.request._query['token'], 'abc');
      assert.equal(socket.request.connection.remoteAddress, '127.0.0.1');
      assert.equal(socket.request.socket.remoteAddress, '127.0.0.1');
      assert.equal((socket.request.connection as { encrypted?: boolean }).encrypted, undefined);
      assert.equal(socket.remoteAddress, '127.0.0.1');
      assert.equal(socket.protocol, 4);
      assert.equal(h.engine.clients[socket.id], socket);
      assert.equal(h.engine.clientsCount, 1);
    } finally {
      await h.close();
    }
  });

  it('runs send callbacks once the packet is written, and emits packetCreate, flush and drain', async () => {
    const h = await startEngine();
    const ws = new RawWebSocket(h.port, 'EIO=4&transport=websocket');
    try {
      const [socket] = await waitFor<[Socket]>(h.engine, 'connection');
      await ws.next();
      const events: string[] = [];
      socket.on('packetCreate', (packet: { type: string }) => events.push(`create ${packet.type}`));
      socket.on('flush', (packets: unknown[]) => events.push(`flush ${packets.length}`));
      socket.on('drain', () => events.push('drain'));
      const written = new Promise<void>((resolve) => socket.send('one', () => resolve()));
      socket.send('two', { compress: false });
      await written;
      assert.deepEqual(events, ['create message', 'create message', 'flush 2', 'drain']);
      assert.equal(await ws.next(), '4one');
    } finally {
      ws.close();
      await h.close();
    }
  });

  it('flushes queued packets before closing when close() is called', async () => {
    const h = await startEngine();
    const ws = new RawWebSocket(h.port, 'EIO=4&transport=websocket');
    try {
      const [socket] = await waitFor<[Socket]>(h.engine, 'connection');
      await ws.next();
      socket.send('last words');
      socket.close();
      assert.equal(socket.readyState, 'closing');
      assert.equal(await ws.next(), '4last words');
      await ws.closed();
    } finally {
      ws.close();
      await h.close();
    }
  });

  it('sends initialPacket right after the open packet', async () => {
    const h = await startEngine({ initialPacket: 'hi there' });
    try {
      const { body } = await pollingHandshake(h.port);
      assert.equal(body.split('\x1e')[1], '4hi there');
    } finally {
      await h.close();
    }
  });

  it('closes every session with "forced close" on server.close()', async () => {
    const h = await startEngine();
    const ws = new RawWebSocket(h.port, 'EIO=4&transport=websocket');
    try {
      const [socket] = await waitFor<[Socket]>(h.engine, 'connection');
      const closed = waitFor<[string]>(socket, 'close');
      h.engine.close();
      assert.equal((await closed)[0], 'forced close');
      assert.equal(h.engine.clientsCount, 0);
    } finally {
      ws.close();
      await h.close();
    }
  });

  it('uses an overridden (async) generateId for the session id', async () => {
    const h = await startEngine();
    h.engine.generateId = async () => 'custom-id';
    try {
      const { sid } = await pollingHandshake(h.port);
      assert.equal(sid, 'custom-id');
    } finally {
      await h.close();
    }
  });

  it('answers 400 code 3 when generateId fails, and keeps serving', async () => {
    const h = await startEngine();
    h.engine.generateId = () => {
      throw new Error('no ids today');
    };
    try {
      const res = await send(h.port, '/engine.io/?EIO=4&transport=polling');
      assert.deepEqual([res.status, JSON.parse(res.body)], [400, { code: 3, message: 'Bad request' }]);
    } finally {
      await h.close();
    }
  });

  it('offers no upgrades when allowUpgrades is false', async () => {
    const h = await startEngine({ allowUpgrades: false });
    try {
      assert.deepEqual((await pollingHandshake(h.port)).open['upgrades'], []);
    } finally {
      await h.close();
    }
  });

  it('refuses polling with code 0 when only WebSocket is enabled', async () => {
    const h = await startEngine({ transports: ['websocket'] });
    try {
      const res = await send(h.port, '/engine.io/?EIO=4&transport=polling');
      assert.deepEqual(JSON.parse(res.body), { code: 0, message: 'Transport unknown' });
    } finally {
      await h.close();
    }
  });

  it('calls its consumer before the data and close listeners, and forgets it once closed', async () => {
    const h = await startEngine();
    const ws = new RawWebSocket(h.port, 'EIO=4&transport=websocket');
    try {
      const [socket] = await waitFor<[Socket]>(h.engine, 'connection');
      await ws.next();
      const calls: string[] = [];
      socket.consumer = {
        onSessionData: (data) => calls.push(`consumer data ${String(data)}`),
        onSessionClose: (reason) => calls.push(`consumer close ${reason}`),
      };
      socket.on('data', (data) => calls.push(`listener data ${String(data)}`));
      socket.on('close', (reason) => calls.push(`listener close ${reason}`));
      ws.send('4hello');
      await until(() => calls.length === 2);
      socket.close();
      await until(() => calls.length === 4);
      assert.deepEqual(calls, [
        'consumer data hello',
        'listener data hello',
        'consumer close forced close',
        'listener close forced close',
      ]);
      assert.equal(socket.consumer, undefined);
    } finally {
      ws.close();
      await h.close();
    }
  });
});

describe('shared heartbeat timer', () => {
  it('runs one interval timer for all sessions of a server', async () => {
    let intervals = 0;
    const clock = {
      now: () => performance.now(),
      setInterval: (callback: () => void, ms: number) => {
        intervals++;
        return setInterval(callback, ms).unref();
      },
      clearInterval: (handle: unknown) => {
        intervals--;
        clearInterval(handle as ReturnType<typeof setInterval>);
      },
    };
    const h = await startEngine({ clock, pingInterval: 10_000 });
    const clients: RawWebSocket[] = [];
    try {
      for (let i = 0; i < 20; i++) clients.push(new RawWebSocket(h.port, 'EIO=4&transport=websocket'));
      await until(() => h.engine.clientsCount === 20);
      assert.equal(intervals, 1);
      for (const client of clients) client.close();
      await until(() => h.engine.clientsCount === 0);
      assert.equal(intervals, 0);
    } finally {
      for (const client of clients) client.close();
      await h.close();
    }
  });
});

describe('middlewares and CORS', () => {
  it('runs use() middlewares before handshakes and answers 400 code 3 when one fails', async () => {
    const h = await startEngine();
    h.engine.use((req, res, next) => {
      if (req.headers['x-deny'] !== undefined) next(new Error('denied'));
      else {
        res.setHeader('x-middleware', 'ran');
        next();
      }
    });
    try {
      const ok = await send(h.port, '/engine.io/?EIO=4&transport=polling');
      assert.equal(ok.headers['x-middleware'], 'ran');
      const refused = await send(h.port, '/engine.io/?EIO=4&transport=polling', { headers: { 'X-Deny': '1' } });
      assert.deepEqual([refused.status, JSON.parse(refused.body)], [400, { code: 3, message: 'Bad request' }]);
    } finally {
      await h.close();
    }
  });

  it('adds headers that middlewares and headers listeners set to the WebSocket 101 answer', async () => {
    const h = await startEngine();
    h.engine.use((_req, res, next) => {
      res.setHeader('x-middleware', 'ran');
      next();
    });
    h.engine.on('initial_headers', (headers) => {
      headers['x-initial'] = 'yes';
    });
    const client = new RawWebSocket(h.port, 'EIO=4&transport=websocket');
    try {
      const [response] = await waitFor<[import('node:http').IncomingMessage]>(client.ws, 'upgrade');
      assert.equal(response.headers['x-middleware'], 'ran');
      assert.equal(response.headers['x-initial'], 'yes');
    } finally {
      client.close();
      await h.close();
    }
  });

  it('adds CORS headers and answers preflights through the cors option', async () => {
    const h = await startEngine({ cors: { origin: 'https://app.example', credentials: true } });
    try {
      const res = await send(h.port, '/engine.io/?EIO=4&transport=polling', {
        headers: { Origin: 'https://app.example' },
      });
      assert.equal(res.headers['access-control-allow-origin'], 'https://app.example');
      assert.equal(res.headers['access-control-allow-credentials'], 'true');
      const preflight = await send(h.port, '/engine.io/?EIO=4&transport=polling', {
        method: 'OPTIONS',
        headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'POST' },
      });
      assert.equal(preflight.status, 204);
      assert.equal(preflight.headers['access-control-allow-origin'], 'https://app.example');
    } finally {
      await h.close();
    }
  });
});

describe('polling POST', () => {
  it('answers a POST with ok even when a listener of its first packet closes the session', async () => {
    const h = await startEngine();
    try {
      const connected = waitFor<[Socket]>(h.engine, 'connection');
      const { sid } = await pollingHandshake(h.port);
      const [socket] = await connected;
      const seen: string[] = [];
      socket.on('message', (data: string | Buffer) => {
        seen.push(String(data));
        socket.close();
      });
      const closed = waitFor<[string]>(socket, 'close');
      const posted = await send(h.port, `/engine.io/?EIO=4&transport=polling&sid=${sid}`, {
        method: 'POST',
        body: '4one\x1e4two',
      });
      assert.equal(posted.status, 200);
      assert.equal(posted.body, 'ok');
      assert.deepEqual(seen, ['one']);
      // A polling close waits for the client's next GET to carry the close packet.
      const poll = await send(h.port, `/engine.io/?EIO=4&transport=polling&sid=${sid}`);
      // eslint-disable-next-line no-control-regex -- \x1e separates packets in a polling payload
      assert.match(poll.body, /(^|\x1e)1$/);
      assert.equal((await closed)[0], 'forced close');
    } finally {
      await h.close();
    }
  });
});

describe('Engine.IO v3 with allowEIO3', () => {
  it('lets the v3 client ping and answers with a pong, using v3 length-prefixed payloads', async () => {
    const h = await startEngine({ allowEIO3: true, pingInterval: 10_000 });
    try {
      const connected = waitFor<[Socket]>(h.engine, 'connection');
      const res = await send(h.port, '/engine.io/?EIO=3&transport=polling&b64=1');
      assert.match(res.body, /^\d+:0\{"sid":/);
      const [socket] = await connected;
      assert.equal(socket.protocol, 3);
      const sid = socket.id;
      const heartbeat = waitFor(socket, 'heartbeat');
      await send(h.port, `/engine.io/?EIO=3&transport=polling&b64=1&sid=${sid}`, { method: 'POST', body: '1:2' });
      await heartbeat;
      const pong = await send(h.port, `/engine.io/?EIO=3&transport=polling&b64=1&sid=${sid}`);
      assert.equal(pong.body, '1:3');
    } finally {
      await h.close();
    }
  });

  it('closes a v3 session whose client stays silent for pingInterval + pingTimeout', async () => {
    const h = await startEngine({ allowEIO3: true, pingInterval: 60, pingTimeout: 60 });
    try {
      const connected = waitFor<[Socket]>(h.engine, 'connection');
      await send(h.port, '/engine.io/?EIO=3&transport=polling&b64=1');
      const [socket] = await connected;
      assert.equal((await waitFor<[string]>(socket, 'close'))[0], 'ping timeout');
    } finally {
      await h.close();
    }
  });
});

describe('attach() and listen()', () => {
  it('listen() serves Engine.IO on its own port and answers 501 elsewhere', async () => {
    const engine = listen(0, { pingInterval: 10_000 });
    const http = engine.httpServer as import('node:http').Server;
    await until(() => http.listening);
    const port = (http.address() as AddressInfo).port;
    try {
      assert.equal((await send(port, '/other')).status, 501);
      const { sid } = await pollingHandshake(port);
      assert.equal(engine.clients[sid]?.id, sid);
    } finally {
      engine.close();
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    }
  });

  it('attach() honours a custom path without the trailing slash', async () => {
    const { createServer } = await import('node:http');
    const http = createServer();
    const engine = attach(http, { path: '/rt', addTrailingSlash: false });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const port = (http.address() as AddressInfo).port;
    try {
      const res = await send(port, '/rt?EIO=4&transport=polling');
      assert.match(res.body, /^0\{"sid"/);
      const { sid } = JSON.parse(res.body.slice(1)) as { sid: string };
      const posted = await send(port, `/rt?EIO=4&transport=polling&sid=${sid}`, { method: 'POST', body: '4x' });
      assert.equal(posted.body, 'ok');
    } finally {
      engine.close();
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    }
  });
});
