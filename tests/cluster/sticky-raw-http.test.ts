// The primary's router fed raw HTTP: request lines split over TCP chunks, kept-alive connections that carry requests
// for sessions of both workers, malformed input, and a worker that dies with sessions.
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { ClusterApp } from './cluster-harness.js';

const WAIT_MS = 5000;
const NOOP_PACKET = '6'; // an Engine.IO v4 noop: a POST the server answers with "ok"

interface RawResponse {
  status: number | undefined;
  text: string;
}

/** Writes `chunks` one per event-loop turn over one TCP connection and reads until the server closes it. */
function rawExchange(port: number, chunks: (string | Buffer)[]): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no end of response within ${WAIT_MS} ms`));
    }, WAIT_MS);
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(received).toString('latin1');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];
      resolve({ status: status === undefined ? undefined : Number(status), text });
    });
    socket.on('connect', () => {
      const writeNext = (index: number): void => {
        if (index >= chunks.length || socket.destroyed) return;
        socket.write(chunks[index] as string | Buffer, () => setTimeout(() => writeNext(index + 1), 5));
      };
      writeNext(0);
    });
  });
}

async function handshake(port: number): Promise<string> {
  const response = await rawExchange(port, [
    'GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
  ]);
  assert.equal(response.status, 200, response.text);
  const sid = /"sid":"([^"]+)"/.exec(response.text)?.[1];
  assert.ok(sid, 'the handshake names a session');
  return sid;
}

function post(
  agent: Agent,
  port: number,
  sid: string,
): Promise<{ status: number | undefined; body: string; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        agent,
        method: 'POST',
        path: `/socket.io/?EIO=4&transport=polling&sid=${sid}`,
        headers: { 'content-type': 'text/plain;charset=UTF-8' },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode, body, connection: res.headers.connection }));
      },
    );
    req.setTimeout(WAIT_MS, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(NOOP_PACKET);
  });
}

describe('the sticky router under raw HTTP (two workers, round-robin)', () => {
  let app: ClusterApp;
  let sessions: string[] = [];

  before(async () => {
    app = await ClusterApp.start({ loadBalancingMethod: 'round-robin' });
    // Round-robin: two handshakes, one session on each worker.
    sessions = [await handshake(app.port), await handshake(app.port)];
  });

  after(async () => {
    await app.close();
  });

  test('the two sessions of the handshakes are held by different workers', async () => {
    const counts = await app.call<Record<string, number>>(0, 'sessionCounts');
    assert.deepEqual(Object.values(counts).sort(), [1, 1]);
  });

  test('a request whose request line and headers arrive in several TCP chunks reaches the worker of its session', async () => {
    for (const sid of sessions) {
      const response = await rawExchange(app.port, [
        'PO',
        'ST /socket.io/?EIO=4&transport=pol',
        `ling&sid=${sid.slice(0, 5)}`,
        `${sid.slice(5)} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty`,
        'pe: text/plain\r\nContent-Length: 1\r\n',
        '\r\n',
        NOOP_PACKET,
      ]);
      assert.equal(response.status, 200, response.text);
      assert.match(response.text, /\r\n\r\nok$/);
    }
  });

  test('a request that waits for its session keeps the bytes that arrive meanwhile', async () => {
    // The request line names a session nobody holds, so the primary waits for an owner (unknownSessionWaitMs)
    // while the headers arrive: they must reach the worker with the line, which then answers "Session ID unknown".
    const response = await rawExchange(app.port, [
      'POST /socket.io/?EIO=4&transport=polling&sid=nobody-holds-this HTTP/1.1\r\n',
      'Host: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 1\r\n\r\n',
      NOOP_PACKET,
    ]);
    assert.equal(response.status, 400, response.text);
  });

  test('a kept-alive connection carrying requests for sessions of both workers: each request reaches the worker of its session', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (let i = 0; i < 6; i++) {
        const response = await post(agent, app.port, sessions[i % 2] as string);
        assert.equal(response.status, 200, response.body);
        assert.equal(response.body, 'ok');
        // The worker ends the connection after each response: only the primary may route the next request.
        assert.equal(response.connection, 'close');
      }
    } finally {
      agent.destroy();
    }
  });

  test('malformed input is answered with 400 or closed, and the primary keeps routing', async () => {
    const bad: (string | Buffer)[][] = [
      ['\r\n'],
      ['NOT AN HTTP REQUEST\r\n\r\n'],
      [Buffer.from([0x16, 0x03, 0x01, 0x00, 0xff, 0x0a])], // a TLS ClientHello on the plain port
      ['GET /socket.io/?EIO=4&transport=polling HTTP/9.9\r\n\r\n'],
      ['GET ' + 'a'.repeat(20_000)], // a request line longer than the router reads
      [`GET /socket.io/?sid=${'%'.repeat(30)} HTTP/1.1\r\nHost: x\r\n\r\n`], // a sid no worker could hold
    ];
    for (const chunks of bad) {
      const response = await rawExchange(app.port, chunks);
      assert.ok(
        response.status === undefined || response.status === 400,
        `${String(chunks[0]).slice(0, 30)}: ${response.text.slice(0, 60)}`,
      );
    }
    // A client that goes away in the middle of its request line.
    await new Promise<void>((resolve) => {
      const socket = connect(app.port, '127.0.0.1', () => socket.end('GET /socket.io/?EIO=4&tra', () => resolve()));
      socket.on('error', () => resolve());
    });
    assert.equal(typeof (await handshake(app.port)), 'string');
  });

  test('a worker killed with sessions: its sessions are forgotten and their requests reach a live worker', async () => {
    const counts = await app.call<Record<string, number>>(0, 'sessionCounts');
    const respawned = app.next('worker-ready', (m) => m.worker === 0, 30_000);
    await app.call(0, 'kill');
    await respawned;
    const agent = new Agent({ keepAlive: false });
    try {
      const answers = await Promise.all(sessions.map((sid) => post(agent, app.port, sid)));
      // One session lived on the dead worker: a live worker answers "Session ID unknown", so its client reconnects.
      assert.deepEqual(answers.map((a) => a.status).sort(), [200, 400]);
    } finally {
      agent.destroy();
    }
    const after = await app.call<Record<string, number>>(0, 'sessionCounts');
    assert.equal(Object.keys(after).length, 2);
    assert.notDeepEqual(
      Object.keys(after).sort(),
      Object.keys(counts).sort(),
      'the dead worker is no longer routed to',
    );
  });
});

describe('the sticky router when a worker dies with connections on their way to it', () => {
  let app: ClusterApp;

  before(async () => {
    app = await ClusterApp.start({ workers: [{ server: 'switchboard', adapter: 'switchboard' }], respawn: false });
  });

  after(async () => {
    await app.close();
  });

  test('connections queued for a dead worker are closed, not held open', async () => {
    // Frozen, the worker acknowledges no connection: node sends the first and queues the others behind it.
    await app.call(0, 'signal', 'SIGSTOP');
    const connections = Array.from({ length: 4 }, () => {
      const socket = connect(app.port, '127.0.0.1', () =>
        socket.write('GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'),
      );
      socket.on('error', () => {});
      return new Promise<'closed' | 'open'>((resolve) => {
        const timer = setTimeout(() => resolve('open'), WAIT_MS);
        socket.on('close', () => {
          clearTimeout(timer);
          resolve('closed');
        });
        // Settled before the kill, so a connection still open after WAIT_MS is one the primary holds.
      }).finally(() => socket.destroy());
    });
    // Give the primary time to read the four request lines and hand them over.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await app.call(0, 'kill');
    assert.deepEqual(await Promise.all(connections), ['closed', 'closed', 'closed', 'closed']);
  });
});
