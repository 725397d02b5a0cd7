import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Backoff } from './backoff.js';

test('doubles the delay from the minimum on each attempt without jitter', () => {
  const backoff = new Backoff(100, 10_000, 0);
  assert.deepEqual(
    [1, 2, 3, 4].map(() => backoff.duration()),
    [100, 200, 400, 800],
  );
  assert.equal(backoff.attempts_, 4);
});

test('never waits longer than the maximum, even after very many attempts', () => {
  const backoff = new Backoff(1000, 5000, 0.5, () => 0.999);
  for (let i = 0; i < 2000; i++) assert.ok(backoff.duration() <= 5000);
  assert.equal(backoff.duration(), 5000);
});

test('moves each delay by at most the jitter fraction in either direction', () => {
  assert.equal(new Backoff(1000, 60_000, 0.5, () => 0).duration(), 500);
  assert.equal(new Backoff(1000, 60_000, 0.5, () => 0.5).duration(), 1000);
  assert.equal(new Backoff(1000, 60_000, 0.5, () => 0.75).duration(), 1250);
});

test('starts over from the minimum after reset', () => {
  const backoff = new Backoff(100, 10_000, 0);
  backoff.duration();
  backoff.duration();
  backoff.reset();
  assert.equal(backoff.attempts_, 0);
  assert.equal(backoff.duration(), 100);
});
