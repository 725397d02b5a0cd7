import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RetryQueue, type ErrorFirstAck } from './retry-queue.js';

/** A queue whose sends are recorded; `answer(i, err, ...response)` acknowledges the i-th send. */
function harness(retries: number) {
  let connected = true;
  const sent: Array<{ args: unknown[]; onAck: ErrorFirstAck }> = [];
  const queue = new RetryQueue(
    retries,
    () => connected,
    (args, _flags, onAck) => void sent.push({ args: [...args], onAck }),
  );
  return {
    queue,
    sent,
    setConnected: (value: boolean) => void (connected = value),
    answer: (i: number, err: unknown, ...response: unknown[]) => sent[i]?.onAck(err, ...response),
  };
}

test('sends only the head, and the next packet once the head is acknowledged', () => {
  const { queue, sent, answer } = harness(2);
  queue.add(['a', 1], {});
  queue.add(['b', 2], {});
  assert.deepEqual(
    sent.map((s) => s.args),
    [['a', 1]],
  );
  answer(0, null);
  assert.deepEqual(
    sent.map((s) => s.args),
    [
      ['a', 1],
      ['b', 2],
    ],
  );
});

test('re-sends the head after an error until its retries are used up, then fails it and moves on', () => {
  const { queue, sent, answer } = harness(1);
  const results: unknown[][] = [];
  queue.add(['a', (...r: unknown[]) => results.push(r)], {});
  queue.add(['b'], {});
  answer(0, new Error('timeout'));
  assert.deepEqual(
    sent.map((s) => s.args),
    [['a'], ['a']],
  );
  const lastError = new Error('timeout again');
  answer(1, lastError);
  assert.deepEqual(results, [[lastError]]);
  assert.deepEqual(
    sent.map((s) => s.args),
    [['a'], ['a'], ['b']],
  );
});

test('calls the acknowledgement once with a null error and the response', () => {
  const { queue, answer } = harness(3);
  const results: unknown[][] = [];
  queue.add(['a', (...r: unknown[]) => results.push(r)], {});
  answer(0, null, 'ok', 2);
  answer(0, null, 'late duplicate');
  assert.deepEqual(results, [[null, 'ok', 2]]);
});

test('ignores a late answer to an earlier try once the packet is settled', () => {
  const { queue, sent, answer } = harness(3);
  const results: unknown[][] = [];
  queue.add(['a', (...r: unknown[]) => results.push(r)], {});
  queue.add(['b', (...r: unknown[]) => results.push(r)], {});
  answer(0, new Error('timeout'));
  answer(1, null, 'a done');
  answer(0, null, 'stale');
  assert.deepEqual(results, [[null, 'a done']]);
  assert.deepEqual(
    sent.map((s) => s.args[0]),
    ['a', 'a', 'b'],
  );
});

test('holds packets while disconnected and re-sends the in-flight head on a forced drain', () => {
  const { queue, sent, setConnected } = harness(3);
  queue.add(['a'], {});
  setConnected(false);
  queue.add(['b'], {});
  queue.drain();
  assert.equal(sent.length, 1);
  setConnected(true);
  queue.drain();
  assert.equal(sent.length, 1, 'the head is still in flight');
  queue.drain(true);
  assert.deepEqual(
    sent.map((s) => s.args[0]),
    ['a', 'a'],
  );
});

test('marks queued emits with fromQueue and keeps their other flags', () => {
  const flags: unknown[] = [];
  const queue = new RetryQueue(
    0,
    () => true,
    (_args, f) => void flags.push(f),
  );
  queue.add(['a'], { compress: false, timeout: 100 });
  assert.deepEqual(flags, [{ compress: false, timeout: 100, fromQueue: true }]);
});
