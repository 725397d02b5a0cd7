// Unit tests of the Manager over a fake engine and fake timers: reconnection, multiplexing, buffering, close reasons.
import { register } from 'node:module';
import { afterEach, beforeEach, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import FakeTimers from '@sinonjs/fake-timers';
import * as socketIoParser from 'socket.io-parser';
import type { ManagerOptions, Parser } from './manager.js';
import type { DisconnectReason } from './socket.js';

// The seam: the Manager builds `new Engine(uri, opts)` from its import of engine-client, and an injectable factory
// would cost the browser bundle bytes it does not have. A resolve hook hands manager.ts, and manager.ts alone, the
// fake engine for that import; every other module (socket.ts's timers included) keeps the real engine-client.
const managerUrl = new URL('./manager.ts', import.meta.url).href;
const fakeEngineUrl = new URL('./fake-engine.fixture.ts', import.meta.url).href;
const hooks = `
export async function resolve(specifier, context, next) {
  if (specifier === '@switchboard/engine-client' && context.parentURL?.split('?')[0] === ${JSON.stringify(managerUrl)}) {
    return next(${JSON.stringify(fakeEngineUrl)}, context);
  }
  return next(specifier, context);
}`;
register('data:text/javascript,' + encodeURIComponent(hooks));
const { Manager } = await import('./manager.js');
const { Socket: FakeEngine } = await import('./fake-engine.fixture.js');
type FakeEngine = InstanceType<typeof FakeEngine>;

const URI = 'http://localhost:3000';
const HOUR_MS = 3_600_000;

let clock: ReturnType<typeof FakeTimers.install>;

beforeEach(() => {
  FakeEngine.reset();
  clock = FakeTimers.install({ toFake: ['setTimeout', 'clearTimeout'] });
});

afterEach(() => {
  clock.uninstall();
});

/** The engine the Manager created last. */
function latest(): FakeEngine {
  const engine = FakeEngine.created.at(-1);
  assert.ok(engine, 'the Manager created an engine');
  return engine;
}

/** A Manager with deterministic delays (no jitter) and no connect timeout unless the test asks for them. */
function createManager(opts: Partial<ManagerOptions> = {}): InstanceType<typeof Manager> {
  return new Manager(URI, { randomizationFactor: 0, timeout: false, ...opts });
}

/** Opens the engine and answers the namespace's CONNECT, as a server would. */
function connect(engine: FakeEngine, sid = 'sid-1', nsp = '/'): void {
  if (engine.readyState === 'opening') engine.accept();
  engine.receive(`0${nsp === '/' ? '' : nsp + ','}{"sid":"${sid}"}`);
}

/** Records every event of `emitter` named in `events`, as [name, ...args]. */
function record(
  emitter: { on(event: string, listener: (...args: never[]) => void): unknown },
  events: string[],
): unknown[][] {
  const log: unknown[][] = [];
  for (const event of events) emitter.on(event, (...args: never[]) => void log.push([event, ...(args as unknown[])]));
  return log;
}

describe('Manager reconnection', () => {
  it('waits minimum * 2^n between attempts, spread by randomizationFactor and capped at the maximum, counting attempts from 1', (t: TestContext) => {
    // Each delay is base * (1 + factor * (2r - 1)): r = 0 shortens it by half the factor, r = 0.75 lengthens it by a quarter.
    const randoms = [0, 0.75, 0.5, 0.999];
    t.mock.method(Math, 'random', () => randoms.shift() ?? 0.5);
    const manager = createManager({ reconnectionDelay: 1000, reconnectionDelayMax: 5000, randomizationFactor: 0.5 });
    const attempts: Array<{ atMs: number; attempt: number }> = [];
    manager.on('reconnect_attempt', (attempt) => attempts.push({ atMs: clock.now, attempt }));
    let failedAtMs = clock.now;
    for (const expectedDelayMs of [500, 2500, 4000, 5000]) {
      latest().fail();
      failedAtMs = clock.now;
      clock.tick(expectedDelayMs - 1);
      assert.equal(attempts.length, FakeEngine.created.length - 1, `no attempt before ${expectedDelayMs} ms`);
      clock.tick(1);
      assert.deepEqual(attempts.at(-1), { atMs: failedAtMs + expectedDelayMs, attempt: attempts.length });
    }
    assert.deepEqual(
      attempts.map((a) => a.attempt),
      [1, 2, 3, 4],
    );
    assert.equal(FakeEngine.created.length, 5, 'one engine per attempt, after the first');
    manager.close_();
  });

  it('emits reconnect with the attempt count when an attempt opens, and starts the next outage from the minimum delay again', () => {
    const manager = createManager({ reconnectionDelay: 100, reconnectionDelayMax: 10_000 });
    const socket = manager.socket('/');
    connect(latest());
    const log = record(manager, ['reconnect_attempt', 'reconnect_error', 'reconnect']);
    latest().drop('transport close');
    clock.tick(100);
    latest().fail();
    clock.tick(200);
    connect(latest(), 'sid-2');
    assert.deepEqual(
      log.map(([event, arg]) => [event, arg instanceof Error ? 'Error' : arg]),
      [
        ['reconnect_attempt', 1],
        ['reconnect_error', 'Error'],
        ['reconnect_attempt', 2],
        ['reconnect', 2],
      ],
    );
    assert.equal(socket.id, 'sid-2');
    latest().drop('transport close');
    const enginesBefore = FakeEngine.created.length;
    clock.tick(99);
    assert.equal(FakeEngine.created.length, enginesBefore);
    clock.tick(1);
    assert.equal(
      FakeEngine.created.length,
      enginesBefore + 1,
      'the first attempt of a new outage waits the minimum delay',
    );
    manager.close_();
  });

  it('gives up with reconnect_failed after reconnectionAttempts failed attempts and opens no further engine', () => {
    const manager = createManager({ reconnectionAttempts: 3, reconnectionDelay: 100, reconnectionDelayMax: 100 });
    const log = record(manager, ['reconnect_attempt', 'reconnect_error', 'reconnect_failed']);
    latest().fail();
    for (let i = 0; i < 3; i++) {
      clock.tick(100);
      latest().fail();
    }
    clock.tick(HOUR_MS);
    // The order of socket.io-client: the last attempt's reconnect_failed comes before its reconnect_error.
    assert.deepEqual(
      log.map(([event, arg]) => (arg instanceof Error ? event : [event, arg].filter((x) => x !== undefined).join(' '))),
      [
        'reconnect_attempt 1',
        'reconnect_error',
        'reconnect_attempt 2',
        'reconnect_error',
        'reconnect_attempt 3',
        'reconnect_failed',
        'reconnect_error',
      ],
    );
    assert.equal(FakeEngine.created.length, 4, 'the first open and three attempts');
    assert.equal(manager.reconnecting_, false);
  });

  it('reports a connect timeout as SIO_ERR_CONNECT_TIMEOUT, closes that engine and tries again', () => {
    const manager = createManager({ timeout: 5000, reconnectionDelay: 100 });
    const socket = manager.socket('/');
    const errors: Error[] = [];
    socket.on('connect_error', (err) => errors.push(err));
    const first = latest();
    clock.tick(4999);
    assert.equal(errors.length, 0);
    clock.tick(1);
    assert.equal(errors.length, 1);
    assert.equal((errors[0] as Error & { code?: string }).code, 'SIO_ERR_CONNECT_TIMEOUT');
    assert.equal(errors[0]?.message, 'timeout');
    assert.equal(first.readyState, 'closed');
    clock.tick(100);
    assert.equal(FakeEngine.created.length, 2);
    manager.close_();
  });

  it('does not reconnect once reconnection(false) was set', () => {
    const manager = createManager({ reconnectionDelay: 100 });
    manager.socket('/');
    connect(latest());
    manager.reconnection(false);
    latest().drop('transport close');
    clock.tick(HOUR_MS);
    assert.equal(FakeEngine.created.length, 1);
  });
});

describe('Manager listener exceptions', () => {
  const parsers: Array<[string, Parser | undefined]> = [
    ['the built-in codec', undefined],
    // socket.io-parser's Decoder emits 'decoded' from inside add(), within the Manager's catch for parse errors.
    ['socket.io-parser', socketIoParser],
  ];
  for (const [name, parser] of parsers) {
    it(`surfaces an exception thrown by an event listener as uncaught and keeps the connection (${name})`, (t: TestContext) => {
      const manager = createManager(parser ? { parser } : {});
      const socket = manager.socket('/');
      connect(latest());
      const closes = record(manager, ['close']);
      const received: unknown[] = [];
      const bug = new Error('application bug');
      socket.on('boom', () => {
        throw bug;
      });
      socket.on('after', (value: unknown) => received.push(value));
      // The user-code boundary rethrows from a microtask: capture it instead of failing this test with it.
      const rethrown: Array<() => void> = [];
      t.mock.method(globalThis, 'queueMicrotask', (task: () => void) => void rethrown.push(task));
      latest().receive('2["boom"]');
      latest().receive('2["after",1]');
      t.mock.restoreAll();
      assert.equal(rethrown.length, 1, 'the exception is rethrown once');
      assert.throws(
        () => rethrown[0]?.(),
        (err) => err === bug,
      );
      assert.deepEqual(closes, [], 'not reported as a parse error');
      assert.equal(socket.connected, true);
      assert.deepEqual(received, [1], 'later packets are still delivered');
      manager.close_();
    });
  }
});

describe('Manager multiplexing', () => {
  it('shares one engine among the namespaces: one CONNECT each, and the same socket for the same namespace', () => {
    const manager = createManager();
    const root = manager.socket('/');
    const admin = manager.socket('/admin');
    assert.equal(manager.socket('/admin'), admin);
    assert.equal(FakeEngine.created.length, 1);
    latest().accept();
    assert.deepEqual(latest().sent, ['0', '0/admin,']);
    latest().receive('0{"sid":"root-sid"}');
    latest().receive('0/admin,{"sid":"admin-sid"}');
    assert.equal(root.id, 'root-sid');
    assert.equal(admin.id, 'admin-sid');
    manager.close_();
  });

  it('routes each incoming packet to the socket of its namespace and tags outgoing ones with it', () => {
    const manager = createManager();
    const root = manager.socket('/');
    const admin = manager.socket('/admin');
    connect(latest(), 'root-sid');
    connect(latest(), 'admin-sid', '/admin');
    const got: string[] = [];
    root.on('news', (value: string) => got.push(`/ ${value}`));
    admin.on('news', (value: string) => got.push(`/admin ${value}`));
    latest().receive('2/admin,["news","a"]');
    latest().receive('2["news","b"]');
    assert.deepEqual(got, ['/admin a', '/ b']);
    admin.emit('hello', 1);
    root.emit('hello', 2);
    assert.deepEqual(latest().sent.slice(-2), ['2/admin,["hello",1]', '2["hello",2]']);
    manager.close_();
  });

  it('keeps the engine while one namespace remains, and closes it for good when the last one disconnects', () => {
    const manager = createManager({ reconnectionDelay: 100 });
    const root = manager.socket('/');
    const admin = manager.socket('/admin');
    connect(latest(), 'root-sid');
    connect(latest(), 'admin-sid', '/admin');
    const closes = record(manager, ['close']);
    root.disconnect();
    assert.equal(latest().sent.at(-1), '1');
    assert.equal(latest().readyState, 'open');
    assert.deepEqual(closes, []);
    admin.disconnect();
    assert.equal(latest().sent.at(-1), '1/admin,');
    assert.equal(latest().readyState, 'closed');
    assert.deepEqual(closes, [['close', 'forced close', undefined]]);
    clock.tick(HOUR_MS);
    assert.equal(FakeEngine.created.length, 1, 'no reconnection after the last namespace left');
  });
});

describe('Manager buffering while offline', () => {
  it('holds emits made before the namespace is connected and sends them in order right after its CONNECT', () => {
    const manager = createManager();
    const socket = manager.socket('/');
    socket.emit('first', 1);
    socket.emit('second', 2);
    assert.equal(socket.sendBuffer.length, 2);
    latest().accept();
    assert.deepEqual(latest().sent, ['0'], 'nothing but CONNECT before the server answered it');
    latest().receive('0{"sid":"s"}');
    assert.deepEqual(latest().sent, ['0', '2["first",1]', '2["second",2]']);
    assert.equal(socket.sendBuffer.length, 0);
    manager.close_();
  });

  it('holds emits made while reconnecting and writes them on the new engine only', () => {
    const manager = createManager({ reconnectionDelay: 100 });
    const socket = manager.socket('/');
    connect(latest());
    const old = latest();
    old.drop('transport close');
    socket.emit('offline', 1);
    clock.tick(100);
    assert.notEqual(latest(), old);
    connect(latest(), 'sid-2');
    assert.deepEqual(old.sent, ['0']);
    assert.deepEqual(latest().sent, ['0', '2["offline",1]']);
    manager.close_();
  });

  it('keeps the acknowledgement of a buffered emit across a reconnection and calls it with the answer', () => {
    const manager = createManager({ reconnectionDelay: 100 });
    const socket = manager.socket('/');
    connect(latest());
    latest().drop('transport close');
    const answers: unknown[] = [];
    socket.emit('question', (answer: unknown) => answers.push(answer));
    clock.tick(100);
    connect(latest(), 'sid-2');
    assert.deepEqual(latest().sent, ['0', '20["question"]']);
    latest().receive('30[42]');
    assert.deepEqual(answers, [42]);
    manager.close_();
  });

  it('drops a volatile emit made while offline instead of buffering it', () => {
    const manager = createManager();
    const socket = manager.socket('/');
    latest().transport.writable = false;
    socket.volatile.emit('tick', 1);
    assert.equal(socket.sendBuffer.length, 0);
    manager.close_();
  });
});

describe('Manager close and disconnect reasons', () => {
  for (const reason of ['transport close', 'transport error', 'ping timeout'] as const) {
    it(`passes the engine's '${reason}' with its description to the Manager's close and the socket's disconnect, then reconnects`, () => {
      const manager = createManager({ reconnectionDelay: 100 });
      const socket = manager.socket('/');
      connect(latest());
      const closes = record(manager, ['close']);
      const disconnects = record(socket, ['disconnect']);
      const description = { description: 'socket hang up', context: 'test' };
      latest().drop(reason, description);
      assert.deepEqual(closes, [['close', reason, description]]);
      assert.deepEqual(disconnects, [['disconnect', reason, description]]);
      assert.equal(socket.connected, false);
      assert.equal(socket.active, true, 'the socket follows the reconnection');
      clock.tick(100);
      assert.equal(FakeEngine.created.length, 2);
      manager.close_();
    });
  }

  it("closes the engine with 'parse error' when the server sends undecodable bytes, and reconnects", () => {
    const manager = createManager({ reconnectionDelay: 100 });
    const socket = manager.socket('/');
    connect(latest());
    const reasons: DisconnectReason[] = [];
    socket.on('disconnect', (reason) => reasons.push(reason));
    latest().receive('9 not a Socket.IO packet');
    assert.deepEqual(reasons, ['parse error']);
    assert.equal(latest().readyState, 'closed');
    clock.tick(100);
    assert.equal(FakeEngine.created.length, 2);
    manager.close_();
  });

  it("disconnects with 'io server disconnect' on the server's DISCONNECT, and neither the socket nor the engine comes back", () => {
    const manager = createManager({ reconnectionDelay: 100 });
    const socket = manager.socket('/');
    connect(latest());
    const reasons: DisconnectReason[] = [];
    socket.on('disconnect', (reason) => reasons.push(reason));
    latest().receive('1');
    assert.deepEqual(reasons, ['io server disconnect']);
    assert.equal(socket.active, false);
    assert.equal(latest().readyState, 'closed', 'no namespace uses the engine any more');
    clock.tick(HOUR_MS);
    assert.equal(FakeEngine.created.length, 1);
  });

  it("disconnects with 'io client disconnect' on socket.disconnect(), after telling the server", () => {
    const manager = createManager();
    const socket = manager.socket('/');
    connect(latest());
    const reasons: DisconnectReason[] = [];
    socket.on('disconnect', (reason) => reasons.push(reason));
    socket.disconnect();
    assert.deepEqual(reasons, ['io client disconnect']);
    assert.deepEqual(latest().sent, ['0', '1']);
    assert.equal(latest().readyState, 'closed');
  });

  it('passes the engine error of a failed open to connect_error while not connected', () => {
    const manager = createManager({ reconnection: false });
    const socket = manager.socket('/');
    const errors: Error[] = [];
    socket.on('connect_error', (err) => errors.push(err));
    const err = latest().fail('websocket error');
    assert.deepEqual(errors, [err]);
    assert.equal(manager.readyState_, 'closed');
  });
});
