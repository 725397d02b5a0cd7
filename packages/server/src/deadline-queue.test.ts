// Unit tests of the shared connect-timeout queue, on a manual clock.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from './manual-clock.fixture.js';
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

test('a longer delay applies to items added afterwards; waiting items keep their deadlines', () => {
  const clock = new ManualClock();
  const expired: string[] = [];
  const queue = new DeadlineQueue<string>(100, (item) => expired.push(item), clock);
  queue.add('old');
  queue.setDelay(300);
  queue.add('new');
  clock.advance(100);
  assert.deepEqual(expired, ['old']);
  clock.advance(199);
  assert.deepEqual(expired, ['old']);
  clock.advance(1);
  assert.deepEqual(expired, ['old', 'new']);
});

test('a shorter delay expires new items first without forgetting the ones already waiting', () => {
  const clock = new ManualClock();
  const expired: string[] = [];
  const queue = new DeadlineQueue<string>(1000, (item) => expired.push(item), clock);
  queue.add('waiting-1');
  queue.add('waiting-2');
  queue.setDelay(50);
  queue.add('quick');
  queue.delete('waiting-2');
  clock.advance(50);
  assert.deepEqual(expired, ['quick']);
  clock.advance(949);
  assert.deepEqual(expired, ['quick']);
  clock.advance(1);
  assert.deepEqual(expired, ['quick', 'waiting-1']);
  assert.equal(queue.size, 0);
  // Back in order once empty: the single-timer path serves new items again.
  queue.add('later');
  clock.advance(50);
  assert.deepEqual(expired, ['quick', 'waiting-1', 'later']);
});
