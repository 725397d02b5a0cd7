import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { describe, it } from 'node:test';
import type { ServerOptions } from './options.js';
import { EngineRuntime } from './runtime.js';
import type { ServerEvents } from './server-events.js';
import type { Socket } from './socket.js';
import { builtInTransports } from './transports/registry.js';

function runtimeWith(options: ServerOptions = {}): { runtime: EngineRuntime; server: EventEmitter<ServerEvents> } {
  const server = new EventEmitter<ServerEvents>();
  return { runtime: new EngineRuntime(server, options), server };
}

/** Only what the session table reads of a session. */
function fakeSession(id: string, closed: boolean[] = []): Socket {
  return { id, close: (discard: boolean) => closed.push(discard) } as unknown as Socket;
}

function request(url: string): IncomingMessage {
  return { url, headers: {} } as IncomingMessage;
}

describe('EngineRuntime', () => {
  it('offers the registry upgrades only while allowUpgrades is on', () => {
    assert.deepEqual(runtimeWith().runtime.upgradesFrom('polling'), ['websocket']);
    assert.deepEqual(runtimeWith().runtime.upgradesFrom('websocket'), []);
    assert.deepEqual(runtimeWith({ allowUpgrades: false }).runtime.upgradesFrom('polling'), []);
  });

  it('accepts WebSockets only when an offered transport arrives by WebSocket', () => {
    assert.equal(runtimeWith().runtime.acceptsWebSockets, true);
    assert.equal(runtimeWith({ transports: ['websocket'] }).runtime.acceptsWebSockets, true);
    assert.equal(runtimeWith({ transports: ['polling'] }).runtime.acceptsWebSockets, false);
  });

  it('takes its transports, and the names the transports option may use, from its registry', () => {
    const registry = builtInTransports().register({
      name: 'custom',
      arrival: 'request',
      upgradesTo: ['websocket'],
      create: () => assert.fail('not created here'),
      serve: () => assert.fail('not served here'),
    });
    const transports = ['custom'] as unknown as ['polling'];
    const runtime = new EngineRuntime(new EventEmitter<ServerEvents>(), { transports }, registry);
    assert.equal(runtime.transports, registry);
    assert.deepEqual(runtime.options.transports, ['custom']);
    assert.deepEqual(runtime.upgradesFrom('custom'), ['websocket']);
    assert.equal(runtime.acceptsWebSockets, false);
  });

  it('checks requests against the offered transports and how they arrive', () => {
    const { verifyRules } = runtimeWith({ transports: ['polling'] }).runtime;
    assert.deepEqual(verifyRules.transports, ['polling']);
    assert.equal(verifyRules.arrivalOf('websocket'), 'websocket');
  });

  it('counts sessions in and out, and forgets only the session registered under an id', () => {
    const { runtime } = runtimeWith();
    const first = fakeSession('a');
    runtime.addSession(first);
    runtime.addSession(fakeSession('b'));
    assert.equal(runtime.sessionCount, 2);
    assert.equal(runtime.session('a'), first);
    runtime.removeSession(fakeSession('a'));
    assert.equal(runtime.session('a'), first);
    runtime.removeSession(first);
    runtime.removeSession(first);
    assert.equal(runtime.session('a'), undefined);
    assert.equal(runtime.sessionCount, 1);
  });

  it('does not take inherited properties for sessions', () => {
    assert.equal(runtimeWith().runtime.session('toString'), undefined);
  });

  it('follows pingInterval changes in the wheel resolution when a session opens', () => {
    const { runtime } = runtimeWith();
    assert.equal(runtime.wheel.tickMs, 1000);
    runtime.options.pingInterval = 100;
    assert.equal(runtime.wheel.tickMs, 1000);
    runtime.addSession(fakeSession('a'));
    assert.equal(runtime.wheel.tickMs, 10);
  });

  it('flushes every target scheduled in one turn once, in order, after the turn', async () => {
    const { runtime } = runtimeWith();
    const flushed: string[] = [];
    runtime.scheduleFlush({ flush: () => flushed.push('a') });
    runtime.scheduleFlush({ flush: () => flushed.push('b') });
    assert.equal(flushed.length, 0);
    await Promise.resolve();
    assert.deepEqual(flushed, ['a', 'b']);
    runtime.scheduleFlush({ flush: () => flushed.push('c') });
    await Promise.resolve();
    assert.deepEqual(flushed, ['a', 'b', 'c']);
  });

  it('re-emits session flush and drain on the server', () => {
    const { runtime, server } = runtimeWith();
    const events: string[] = [];
    server.on('flush', (socket, packets) => events.push(`flush ${socket.id} ${packets.length}`));
    server.on('drain', (socket) => events.push(`drain ${socket.id}`));
    runtime.onSessionFlush(fakeSession('a'), [{ type: 'noop', options: {} }]);
    runtime.onSessionDrain(fakeSession('a'));
    assert.deepEqual(events, ['flush a 1', 'drain a']);
  });

  it('sets the cookie and asks initial_headers listeners on a handshake response only', () => {
    const { runtime, server } = runtimeWith({ cookie: true });
    const seen: string[] = [];
    server.on('initial_headers', () => seen.push('initial_headers'));
    server.on('headers', () => seen.push('headers'));
    const handshake: OutgoingHttpHeaders = {};
    runtime.decorateHeaders(handshake, request('/engine.io/?EIO=4&transport=polling'), 'abc');
    assert.deepEqual(handshake['Set-Cookie'], ['io=abc; Path=/; HttpOnly; SameSite=Lax']);
    const later: OutgoingHttpHeaders = {};
    runtime.decorateHeaders(later, request('/engine.io/?EIO=4&transport=polling&sid=abc'), 'abc');
    assert.equal(later['Set-Cookie'], undefined);
    assert.deepEqual(seen, ['initial_headers', 'headers', 'headers']);
  });

  it('closes every session as a forced close on close()', () => {
    const { runtime } = runtimeWith();
    const closed: boolean[] = [];
    runtime.addSession(fakeSession('a', closed));
    runtime.addSession(fakeSession('b', closed));
    runtime.close();
    assert.deepEqual(closed, [true, true]);
  });
});
