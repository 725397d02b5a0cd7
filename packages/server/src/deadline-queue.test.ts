// Unit tests of the shared connect-timeout queue.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DeadlineQueue } from './deadline-queue.js';

test('expires items in insertion order after the delay, except those deleted in time', async () => {
  const expired: string[] = [];
  // The queue's timer is unref'd by design; this one keeps the test process alive while we wait.
  const keepAlive = setTimeout(() => {}, 2000);
  const done = new Promise<void>((resolve) => {
    const queue = new DeadlineQueue<string>(20, (item) => {
      expired.push(item);
      if (item === 'c') resolve();
    });
    queue.add('a');
    queue.add('b');
    queue.add('c');
    queue.delete('b');
  });
  await done;
  clearTimeout(keepAlive);
  assert.deepEqual(expired, ['a', 'c']);
});
