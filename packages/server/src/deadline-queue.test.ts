// Unit tests of the shared connect-timeout queue, on a manual clock.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from './clock.js';
import { DeadlineQueue } from './deadline-queue.js';

test('expires items in insertion order after the delay, except those deleted in time', () => {
  const clock = new ManualClock();
  const expired: string[] = [];
  const queue = new DeadlineQueue<string>(100, (item) => expired.push(item), clock);
  queue.add('a');
  clock.advance(40);
  queue.add('b');
  queue.add('c');
  queue.delete('b');
  clock.advance(59);
  assert.deepEqual(expired, []);
  clock.advance(1);
  assert.deepEqual(expired, ['a']);
  clock.advance(40);
  assert.deepEqual(expired, ['a', 'c']);
  assert.equal(queue.size, 0);
});

test('one timer serves the whole queue and restarts when items arrive after it emptied', () => {
  const clock = new ManualClock();
  const expired: number[] = [];
  const queue = new DeadlineQueue<number>(10, (item) => expired.push(item), clock);
  for (let i = 0; i < 100; i++) queue.add(i);
  clock.advance(10);
  assert.equal(expired.length, 100);
  queue.add(100);
  clock.advance(10);
  assert.deepEqual(expired.slice(-1), [100]);
});
