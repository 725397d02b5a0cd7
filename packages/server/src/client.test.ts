// Unit tests of Client on a manual clock: the connect deadline, joining namespaces, refusals.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PacketType } from '@switchboard/protocol';
import { createTestRuntime } from './runtime.fixture.js';

describe('Client connect deadline', () => {
  test('closes a connection that joined no namespace within connectTimeout', () => {
    const { clock, connect } = createTestRuntime({ connectTimeoutMs: 1000 });
    const { conn } = connect();
    clock.advance(999);
    assert.equal(conn.readyState, 'open');
    clock.advance(1);
    assert.equal(conn.readyState, 'closed');
  });

  test('keeps a connection that joined a namespace in time', () => {
    const { clock, connect } = createTestRuntime({ connectTimeoutMs: 1000 });
    const { conn } = connect();
    conn.receive('0');
    clock.advance(5000);
    assert.equal(conn.readyState, 'open');
    assert.equal(conn.packetsOf(PacketType.CONNECT).length, 1);
  });

  test('a connection refused by a middleware is still closed at its deadline', () => {
    const { runtime, clock, connect } = createTestRuntime({ connectTimeoutMs: 1000 });
    runtime.namespaces.of('/').use((_socket, next) => next(new Error('no')));
    const { conn } = connect();
    conn.receive('0');
    assert.deepEqual(conn.packetsOf(PacketType.CONNECT_ERROR)[0]?.data, { message: 'no' });
    clock.advance(1000);
    assert.equal(conn.readyState, 'closed');
  });

  test('a shorter connectTimeout applies to connections that arrive afterwards, not to those waiting', () => {
    const { runtime, clock, connect } = createTestRuntime({ connectTimeoutMs: 1000 });
    const early = connect().conn;
    runtime.connectTimeoutMs = 100;
    const late = connect().conn;
    clock.advance(100);
    assert.equal(late.readyState, 'closed');
    assert.equal(early.readyState, 'open');
    clock.advance(900);
    assert.equal(early.readyState, 'closed');
  });

  test('a connection whose middleware answers after the deadline is closed and never joins', () => {
    const { runtime, clock, connect } = createTestRuntime({ connectTimeoutMs: 1000 });
    let pending: (() => void) | undefined;
    runtime.namespaces.of('/').use((_socket, next) => (pending = () => next()));
    const { conn } = connect();
    conn.receive('0');
    clock.advance(1000);
    pending?.();
    assert.equal(conn.readyState, 'closed');
    assert.equal(conn.packetsOf(PacketType.CONNECT).length, 0);
    assert.equal(runtime.namespaces.of('/').sockets.size, 0);
  });
});

describe('Client namespaces', () => {
  test('refuses a namespace nobody declared with "Invalid namespace"', () => {
    const { connect } = createTestRuntime();
    const { conn } = connect();
    conn.receive('0/nowhere,');
    assert.deepEqual(conn.packetsOf(PacketType.CONNECT_ERROR)[0], {
      type: PacketType.CONNECT_ERROR,
      nsp: '/nowhere',
      data: { message: 'Invalid namespace' },
    });
  });

  test('closes the connection when the client sends an event for a namespace it never joined', () => {
    const { connect } = createTestRuntime();
    const { conn } = connect();
    conn.receive('2/chat,["x"]');
    assert.equal(conn.readyState, 'closed');
  });
});
