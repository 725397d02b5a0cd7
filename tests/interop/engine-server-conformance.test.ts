// One black-box protocol suite, run against our engine and the official engine.io 6 (which proves the suite):
// handshake shape, refusals with their status and body, polling overlap, oversize and octet-stream POSTs, and the
// upgrade's probe/noop/upgrade sequence, overlapping POSTs, and the close packet on a parked GET at ping timeout, all
// on the raw wire.
import assert from 'node:assert/strict';
import type { EventEmitter } from 'node:events';
import { createServer, request } from 'node:http';
import type { Server as HttpServer } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Server as SwitchboardEngine } from '@switchboard/engine';
import { Server as OfficialEngine } from 'engine.io';
import WebSocket from 'ws';

interface AnySession extends EventEmitter {
  transport: { writable: boolean };
}

interface AnyEngine extends EventEmitter {
  clients: Record<string, AnySession>;
  attach(server: HttpServer): unknown;
  close(): unknown;
}

const OPTIONS = { pingInterval: 10_000, pingTimeout: 5_000, maxHttpBufferSize: 1000 };
// A heartbeat short enough for a ping timeout to happen within a test.
const SHORT_HEARTBEAT = { pingInterval: 100, pingTimeout: 100, maxHttpBufferSize: 1000 };
type EngineOptions = typeof OPTIONS;
const implementations: Array<[string, (options?: EngineOptions) => AnyEngine]> = [
  ['@switchboard/engine', (options = OPTIONS) => new SwitchboardEngine(options)],
  ['official engine.io', (options = OPTIONS) => new OfficialEngine(options) as unknown as AnyEngine],
];

interface Reply {
  status: number;
  contentType: string | undefined;
  body: string;
}

/** Attaches `engine` to an HTTP server on 127.0.0.1 (ephemeral port); `stop` closes the engine and the server. */
async function listenOnLoopback(engine: AnyEngine): Promise<{ port: number; stop: () => Promise<void> }> {
  const http: HttpServer = createServer();
  engine.attach(http);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    port: (http.address() as AddressInfo).port,
    stop: async () => {
      engine.close();
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    },
  };
}

function call(
  port: number,
  path: string,
  method = 'GET',
  body?: string,
  headers: Record<string, string> = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], body: text }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Sends a POST whose body stops short of its Content-Length, so the server holds it while reading; resolves with what
 * arrived before the server closed the connection ('' for closed without an answer), bounded by `timeoutMs`.
 */
function postHeldOpen(port: number, path: string, timeoutMs = 2000): { sent: Promise<void>; answer: Promise<string> } {
  const socket = connect(port, '127.0.0.1');
  const sent = new Promise<void>((resolve) => {
    socket.on('connect', () => {
      socket.write(
        `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain;charset=UTF-8\r\nContent-Length: 10\r\n\r\n4ab`,
        () => resolve(),
      );
    });
  });
  const answer = new Promise<string>((resolve, reject) => {
    let data = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('the held POST was neither answered nor closed'));
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(data);
    });
  });
  return { sent, answer };
}

function nextFrame(ws: WebSocket, timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no frame')), timeoutMs);
    ws.once('message', (data: Buffer) => {
      clearTimeout(timer);
      resolve(data.toString());
    });
  });
}

for (const [name, create] of implementations) {
  describe(`Engine.IO v4 wire conformance: ${name}`, () => {
    let engine: AnyEngine;
    let port: number;
    let stop: () => Promise<void>;
    const path = '/engine.io/?EIO=4&transport=polling';

    before(async () => {
      engine = create();
      ({ port, stop } = await listenOnLoopback(engine));
    });
    after(() => stop());

    /** Waits (bounded) until the session's polling GET is parked on the server. */
    async function getParked(sid: string): Promise<void> {
      const deadline = Date.now() + 2000;
      while (engine.clients[sid]?.transport.writable !== true) {
        assert.ok(Date.now() < deadline, 'the GET never became pending');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }

    async function handshake(): Promise<string> {
      const reply = await call(port, path);
      return (JSON.parse(reply.body.slice(1)) as { sid: string }).sid;
    }

    it('opens with the protocol’s open packet, keys in order', async () => {
      const reply = await call(port, path);
      assert.equal(reply.status, 200);
      assert.equal(reply.contentType, 'text/plain; charset=UTF-8');
      assert.match(
        reply.body,
        /^0\{"sid":"[\w-]{20}","upgrades":\["websocket"\],"pingInterval":10000,"pingTimeout":5000,"maxPayload":1000\}$/,
      );
    });

    for (const [label, query, method, expected] of [
      ['unknown transport', '?EIO=4&transport=tcp', 'GET', { code: 0, message: 'Transport unknown' }],
      ['unknown sid', '?EIO=4&transport=polling&sid=abc', 'GET', { code: 1, message: 'Session ID unknown' }],
      ['POST handshake', '?EIO=4&transport=polling', 'POST', { code: 2, message: 'Bad handshake method' }],
      ['websocket over plain HTTP', '?EIO=4&transport=websocket', 'GET', { code: 3, message: 'Bad request' }],
      [
        'EIO=3 without allowEIO3',
        '?EIO=3&transport=polling',
        'GET',
        { code: 5, message: 'Unsupported protocol version' },
      ],
    ] as const) {
      it(`refuses a ${label} with 400 and ${JSON.stringify(expected)}`, async () => {
        const reply = await call(port, `/engine.io/${query}`, method);
        assert.deepEqual(
          [reply.status, reply.contentType, JSON.parse(reply.body)],
          [400, 'application/json', expected],
        );
      });
    }

    it('answers a POST with 200 ok as text/html', async () => {
      const sid = await handshake();
      const reply = await call(port, `${path}&sid=${sid}`, 'POST', '4hello');
      assert.deepEqual([reply.status, reply.contentType, reply.body], [200, 'text/html', 'ok']);
    });

    it('answers 413 to a POST over maxHttpBufferSize', async () => {
      const sid = await handshake();
      assert.equal((await call(port, `${path}&sid=${sid}`, 'POST', `4${'x'.repeat(2000)}`)).status, 413);
    });

    it('answers 400 to an octet-stream POST and ends the session, closing the pending GET', async () => {
      const sid = await handshake();
      const pending = call(port, `${path}&sid=${sid}`);
      await getParked(sid);
      const reply = await call(port, `${path}&sid=${sid}`, 'POST', '4x', {
        'Content-Type': 'application/octet-stream',
      });
      assert.equal(reply.status, 400);
      assert.equal((await pending).body, '1');
      assert.equal(JSON.parse((await call(port, `${path}&sid=${sid}`)).body).code, 1);
    });

    it('answers a second concurrent GET with 400 and the first with the close packet', async () => {
      const sid = await handshake();
      const first = call(port, `${path}&sid=${sid}`);
      await getParked(sid);
      assert.equal((await call(port, `${path}&sid=${sid}`)).status, 400);
      assert.equal((await first).body, '1');
    });

    it('answers a second overlapping POST with 400, ends the session and closes the first POST unanswered', async () => {
      const sid = await handshake();
      const first = postHeldOpen(port, `${path}&sid=${sid}`);
      await first.sent;
      // The first POST's headers must have reached the engine before the second arrives; its body never completes.
      await new Promise((resolve) => setTimeout(resolve, 50));
      const second = await call(port, `${path}&sid=${sid}`, 'POST', '4second');
      assert.equal(second.status, 400);
      assert.equal(await first.answer, '');
      assert.equal(JSON.parse((await call(port, `${path}&sid=${sid}`)).body).code, 1);
    });

    it('upgrades: 3probe on the WebSocket, noop on the pending GET, then polling gets 400 code 3', async () => {
      const sid = await handshake();
      const pending = call(port, `${path}&sid=${sid}`);
      await getParked(sid);
      const ws = new WebSocket(`ws://127.0.0.1:${port}/engine.io/?EIO=4&transport=websocket&sid=${sid}`);
      try {
        await new Promise((resolve) => ws.once('open', resolve));
        ws.send('2probe');
        assert.equal(await nextFrame(ws), '3probe');
        assert.equal((await pending).body, '6');
        const upgraded = new Promise((resolve) => engine.clients[sid]?.once('upgrade', resolve));
        ws.send('5');
        await upgraded;
        const late = await call(port, `${path}&sid=${sid}`);
        assert.deepEqual([late.status, JSON.parse(late.body)], [400, { code: 3, message: 'Bad request' }]);
      } finally {
        ws.terminate();
      }
    });
  });
}

for (const [name, create] of implementations) {
  describe(`Engine.IO v4 ping timeout on the wire: ${name}`, () => {
    let engine: AnyEngine;
    let port: number;
    let stop: () => Promise<void>;
    const path = '/engine.io/?EIO=4&transport=polling';

    before(async () => {
      engine = create(SHORT_HEARTBEAT);
      ({ port, stop } = await listenOnLoopback(engine));
    });
    after(() => stop());

    it('answers the GET parked at ping timeout with the close packet, then forgets the session', async () => {
      const sid = (JSON.parse((await call(port, path)).body.slice(1)) as { sid: string }).sid;
      // The first poll carries the ping; the client never answers it and polls again.
      assert.equal((await call(port, `${path}&sid=${sid}`)).body, '2');
      const closed = new Promise<string>((resolve) => engine.clients[sid]?.once('close', resolve));
      const parked = await call(port, `${path}&sid=${sid}`);
      assert.deepEqual([parked.status, parked.body, await closed], [200, '1', 'ping timeout']);
      assert.equal(JSON.parse((await call(port, `${path}&sid=${sid}`)).body).code, 1);
    });
  });
}
