import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import type { ServerOptions } from '../options.js';
import { resolveOptions } from '../options.js';
import { pollingHandshake, send, startEngine, waitFor } from '../testing/harness.js';
import type { Harness } from '../testing/harness.js';

const GOOD = 'https://good.example';
const EVIL = 'https://evil.example';
const FORBIDDEN = { code: 4, message: 'Forbidden' };

/** Opens a WebSocket with the given Origin; resolves with 101 when it opens, else the refusal's status and body. */
function webSocketHandshake(port: number, query: string, origin: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/engine.io/?${query}`, { origin });
    ws.on('open', () => {
      ws.terminate();
      resolve({ status: 101, body: '' });
    });
    ws.on('unexpected-response', (_req, res: IncomingMessage) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    ws.on('error', () => {});
  });
}

const pollingHandshakeFrom = (port: number, origin: string) =>
  send(port, '/engine.io/?EIO=4&transport=polling', { headers: { Origin: origin } });

describe('the Origin check derived from cors.origin', () => {
  let h: Harness;
  before(async () => {
    h = await startEngine({ pingInterval: 10_000, cors: { origin: GOOD, credentials: true } });
  });
  after(() => h.close());

  it('refuses a polling handshake from a foreign origin with 403 {"code":4,"message":"Forbidden"}', async () => {
    const res = await pollingHandshakeFrom(h.port, EVIL);
    assert.deepEqual([res.status, JSON.parse(res.body)], [403, FORBIDDEN]);
  });

  it('refuses a WebSocket handshake from a foreign origin with a plain 400 Forbidden', async () => {
    assert.deepEqual(await webSocketHandshake(h.port, 'EIO=4&transport=websocket', EVIL), {
      status: 400,
      body: 'Forbidden',
    });
  });

  it('refuses a foreign origin’s requests for an existing session, polling and upgrade alike', async () => {
    const { sid } = await pollingHandshake(h.port);
    const poll = await send(h.port, `/engine.io/?EIO=4&transport=polling&sid=${sid}`, { headers: { Origin: EVIL } });
    assert.deepEqual([poll.status, JSON.parse(poll.body)], [403, FORBIDDEN]);
    const upgrade = await webSocketHandshake(h.port, `EIO=4&transport=websocket&sid=${sid}`, EVIL);
    assert.equal(upgrade.status, 400);
  });

  it('accepts the allowed origin on both transports, and requests without an Origin header', async () => {
    assert.equal((await pollingHandshakeFrom(h.port, GOOD)).status, 200);
    assert.equal((await webSocketHandshake(h.port, 'EIO=4&transport=websocket', GOOD)).status, 101);
    assert.equal((await send(h.port, '/engine.io/?EIO=4&transport=polling')).status, 200);
  });

  it("accepts the server's own pages (Origin naming the Host) on both transports", async () => {
    const own = `http://127.0.0.1:${h.port}`;
    assert.equal((await pollingHandshakeFrom(h.port, own)).status, 200);
    assert.equal((await webSocketHandshake(h.port, 'EIO=4&transport=websocket', own)).status, 101);
  });

  it('reports the refusal to connection_error listeners with code 4', async () => {
    const refused = waitFor<[{ code: number; context: Record<string, unknown> }]>(h.engine, 'connection_error');
    await pollingHandshakeFrom(h.port, EVIL);
    const [event] = await refused;
    assert.deepEqual([event.code, event.context['name'], event.context['origin']], [4, 'ORIGIN_NOT_ALLOWED', EVIL]);
  });
});

describe('the allowedOrigins option', () => {
  async function statusFrom(options: ServerOptions, origin: string): Promise<number> {
    const h = await startEngine({ pingInterval: 10_000, ...options });
    try {
      return (await pollingHandshakeFrom(h.port, origin)).status;
    } finally {
      await h.close();
    }
  }

  it('matches exact origins and patterns from a list', async () => {
    const allowedOrigins = [GOOD, /^https:\/\/[a-z]+\.good\.example$/];
    assert.equal(await statusFrom({ allowedOrigins }, 'https://app.good.example'), 200);
    assert.equal(await statusFrom({ allowedOrigins }, GOOD), 200);
    assert.equal(await statusFrom({ allowedOrigins }, EVIL), 403);
  });

  it('turns the check derived from cors.origin off when false', async () => {
    assert.equal(await statusFrom({ allowedOrigins: false, cors: { origin: GOOD } }, EVIL), 200);
  });

  it('leaves origins unrestricted when cors reflects every origin and allowedOrigins is unset', async () => {
    assert.equal(await statusFrom({ cors: { origin: true, credentials: true } }, EVIL), 200);
  });

  it('rejects a value that is not an origin, a RegExp or a list of them, naming the option', () => {
    assert.throws(
      () => resolveOptions({ allowedOrigins: [42] as unknown as string[] }),
      (error: Error & { code?: string }) =>
        error.code === 'EIO_ERR_INVALID_OPTION' && error.message.includes('"allowedOrigins"'),
    );
  });
});
