// Login to the admin namespace: bcrypt hashes checked, wrong passwords refused with a clear connect_error, sessions.
import assert from 'node:assert/strict';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import bcrypt from 'bcryptjs';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { Server } from '@switchboard/server';
import { verifyPassword } from './auth.js';
import { AdminErrorCode } from './errors.js';
import { instrument, type Instrumentation } from './instrument.js';
import { InMemoryStore } from './session-store.js';

const HASH = bcrypt.hashSync('s3cret', 4); // few rounds: the tests stay fast

test('verifyPassword accepts the password of the hash and refuses any other', async () => {
  assert.equal(await verifyPassword('s3cret', HASH), true);
  assert.equal(await verifyPassword('wrong', HASH), false);
  assert.equal(await verifyPassword(undefined, HASH), false);
});

test('a plain password given as the hash is refused at startup with ADMIN_ERR_INVALID_OPTION', () => {
  const io = new Server();
  assert.throws(() => instrument(io, { auth: { type: 'basic', username: 'admin', password: 'plain' } }), {
    code: AdminErrorCode.INVALID_OPTION,
    message: /bcrypt hash/,
  });
});

test('a missing auth option is refused at startup', () => {
  const io = new Server();
  assert.throws(() => instrument(io, {} as never), { code: AdminErrorCode.INVALID_OPTION, message: /`auth` option/ });
});

test('a loginRateLimit with a negative delay is refused at startup, naming the field', () => {
  const io = new Server();
  const auth = { type: 'basic' as const, username: 'admin', password: HASH };
  assert.throws(() => instrument(io, { auth, loginRateLimit: { baseDelayMs: -1 } }), {
    code: AdminErrorCode.INVALID_OPTION,
    message: /loginRateLimit\.baseDelayMs/,
  });
});

test('an expired session is forgotten', async () => {
  const store = new InMemoryStore(-1);
  store.saveSession('old');
  assert.equal(await store.doesSessionExist('old'), false);
});

describe('basic authentication on the admin namespace', () => {
  let http: HttpServer;
  let io: Server;
  let admin: Instrumentation;
  let url: string;
  const clients: ClientSocket[] = [];

  before(async () => {
    http = createServer();
    io = new Server(http);
    admin = instrument(io, { auth: { type: 'basic', username: 'admin', password: HASH }, mode: 'production' });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/admin`;
  });
  after(async () => {
    for (const client of clients) client.disconnect();
    admin.close();
    await io.close();
  });

  function open(auth: Record<string, unknown>): ClientSocket {
    const client = connect(url, { auth, transports: ['websocket'], reconnection: false });
    clients.push(client);
    return client;
  }

  function outcome(client: ClientSocket): Promise<{ connected: true } | { error: Error & { data?: unknown } }> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no connect or connect_error within 5 s')), 5000);
      client.once('connect', () => {
        clearTimeout(timer);
        resolve({ connected: true });
      });
      client.once('connect_error', (error) => {
        clearTimeout(timer);
        resolve({ error });
      });
    });
  }

  test('a wrong password is refused with connect_error "invalid credentials" and the code', async () => {
    const result = await outcome(open({ username: 'admin', password: 'nope' }));
    assert.ok('error' in result);
    assert.equal(result.error.message, 'invalid credentials');
    assert.deepEqual(result.error.data, { code: AdminErrorCode.INVALID_CREDENTIALS });
  });

  test('a wrong username is refused like a wrong password', async () => {
    const result = await outcome(open({ username: 'root', password: 's3cret' }));
    assert.ok('error' in result && result.error.message === 'invalid credentials');
  });

  test('the right password connects, and the session id it returns logs in without a password', async () => {
    const client = open({ username: 'admin', password: 's3cret' });
    const session = new Promise<string>((resolve) => client.once('session', resolve));
    assert.deepEqual(await outcome(client), { connected: true });
    const sessionId = await session;
    assert.match(sessionId, /^[0-9a-f]{32}$/);
    assert.deepEqual(await outcome(open({ sessionId })), { connected: true });
    const forged = await outcome(open({ sessionId: 'f'.repeat(32) }));
    assert.ok('error' in forged);
  });
});

describe('the login rate limit', () => {
  let http: HttpServer;
  let io: Server;
  let admin: Instrumentation;
  let url: string;
  const clients: ClientSocket[] = [];

  before(async () => {
    http = createServer();
    io = new Server(http);
    admin = instrument(io, {
      auth: { type: 'basic', username: 'admin', password: HASH },
      mode: 'production',
      // A long first wait: a burst on a loaded machine must not outlast it.
      loginRateLimit: { freeAttempts: 5, baseDelayMs: 60_000, maxDelayMs: 120_000 },
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/admin`;
  });
  after(async () => {
    for (const client of clients) client.disconnect();
    admin.close();
    await io.close();
  });

  type Outcome = { connected: true } | { error: Error & { data?: { code?: string; retryAfterMs?: number } } };

  /** One login from `localAddress` (each test uses its own loopback address, so each starts with a clean record). */
  function attempt(password: string, localAddress: string): Promise<Outcome> {
    const client = connect(url, {
      auth: { username: 'admin', password },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      localAddress,
    } as Parameters<typeof connect>[1]);
    clients.push(client);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no connect or connect_error within 5 s')), 5000);
      client.once('connect', () => {
        clearTimeout(timer);
        resolve({ connected: true });
      });
      client.once('connect_error', (error) => {
        clearTimeout(timer);
        resolve({ error });
      });
    });
  }

  const codeOf = (outcome: Outcome): string | undefined =>
    'error' in outcome ? outcome.error.data?.code : 'connected';

  test('checks only the free attempts of a burst of 20 wrong passwords and refuses the rest, then the right one, with a coded wait', async () => {
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => attempt('guess', '127.0.0.2')));
    const codes = outcomes.map(codeOf);
    assert.equal(codes.filter((code) => code === AdminErrorCode.INVALID_CREDENTIALS).length, 5);
    assert.equal(codes.filter((code) => code === AdminErrorCode.TOO_MANY_ATTEMPTS).length, 15);
    const blocked = await attempt('s3cret', '127.0.0.2');
    assert.ok('error' in blocked);
    assert.match(blocked.error.message, /^too many login attempts: retry in \d+ s$/);
    const retryAfterMs = blocked.error.data?.retryAfterMs ?? 0;
    assert.ok(retryAfterMs > 0 && retryAfterMs <= 60_000, `retryAfterMs ${retryAfterMs}`);
    // Another address is not affected.
    assert.equal(codeOf(await attempt('guess', '127.0.0.3')), AdminErrorCode.INVALID_CREDENTIALS);
  });

  test('starts an address afresh after a successful login', async () => {
    const address = '127.0.0.4';
    const codes: Array<string | undefined> = [];
    for (let i = 0; i < 4; i++) codes.push(codeOf(await attempt('guess', address)));
    codes.push(codeOf(await attempt('s3cret', address)));
    for (let i = 0; i < 4; i++) codes.push(codeOf(await attempt('guess', address)));
    assert.deepEqual(codes, [
      ...Array<string>(4).fill(AdminErrorCode.INVALID_CREDENTIALS),
      'connected',
      ...Array<string>(4).fill(AdminErrorCode.INVALID_CREDENTIALS),
    ]);
  });
});
