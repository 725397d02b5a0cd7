// The load-balancing methods and the session table, without processes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Balancer } from './balancer.js';

test('round-robin hands new connections to the ready workers in turn', () => {
  const balancer = new Balancer('round-robin');
  balancer.addWorker(1);
  balancer.addWorker(2);
  const picks = Array.from({ length: 6 }, () => balancer.pick());
  assert.deepEqual(new Set(picks.slice(0, 2)), new Set([1, 2]));
  assert.deepEqual(picks.slice(2), [...picks.slice(0, 2), ...picks.slice(0, 2)]);
});

test('least-connection picks the worker holding the fewest sessions', () => {
  const balancer = new Balancer('least-connection');
  balancer.addWorker(1);
  balancer.addWorker(2);
  balancer.bind('a', 1);
  balancer.bind('b', 1);
  balancer.bind('c', 2);
  assert.equal(balancer.pick(), 2);
  balancer.unbind('a', 1);
  balancer.unbind('b', 1);
  assert.equal(balancer.pick(), 1);
});

test('random only ever picks ready workers', () => {
  const balancer = new Balancer('random');
  assert.equal(balancer.pick(), undefined);
  balancer.addWorker(3);
  balancer.addWorker(5);
  for (let i = 0; i < 50; i++) assert.ok([3, 5].includes(balancer.pick() as number));
});

test('a removed worker loses its sessions and is never picked again', () => {
  const balancer = new Balancer('round-robin');
  balancer.addWorker(1);
  balancer.addWorker(2);
  balancer.bind('s', 2);
  assert.equal(balancer.ownerOf('s'), 2);
  balancer.removeWorker(2);
  assert.equal(balancer.ownerOf('s'), undefined);
  for (let i = 0; i < 4; i++) assert.equal(balancer.pick(), 1);
});
