// LocalDeliveries on its own: emit order, synchronous drain, the deadline that bounds a wait for a publish that is
// never answered (a half-open connection), and flush() on close.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { BroadcastOptions, Packet } from '@switchboard/server';
import { LocalDeliveries } from './local-deliveries.js';

const OPTS: BroadcastOptions = { rooms: new Set(), except: new Set() };

function packet(n: number): Packet {
  return { type: 2, nsp: '/', data: ['n', n] };
}

/** A promise and the function that settles it: a publish answered when the test says so. */
function gate<T = undefined>(): { promise: Promise<T>; answer: (value: T) => void } {
  let answer!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (answer = resolve));
  return { promise, answer };
}

function recorder(): { delivered: unknown[]; local: (opts?: { maxWaitMs?: number }) => LocalDeliveries } {
  const delivered: unknown[] = [];
  return {
    delivered,
    local: (opts) => new LocalDeliveries((p) => void delivered.push((p.data as unknown[])[1]), opts),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('LocalDeliveries', () => {
  test('delivers at once when nothing waits, and behind a waiting delivery otherwise', async () => {
    const { delivered, local } = recorder();
    const queue = local();
    queue.deliver(packet(0), OPTS);
    assert.deepEqual(delivered, [0], 'an immediate delivery was held with nothing waiting');
    const first = gate();
    queue.deliverAfter(first.promise, packet(1), OPTS);
    queue.deliver(packet(2), OPTS);
    assert.deepEqual(delivered, [0], 'a delivery overtook one waiting for its publish');
    assert.equal(queue.size, 2);
    first.answer(undefined);
    await first.promise;
    assert.deepEqual(delivered, [0, 1, 2]);
    assert.equal(queue.size, 0);
  });

  test('answers out of order still deliver in emit order, all in the turn the head is answered', async () => {
    const { delivered, local } = recorder();
    const queue = local();
    const gates = [gate(), gate(), gate()];
    gates.forEach((g, i) => queue.deliverAfter(g.promise, packet(i), OPTS));
    gates[2]?.answer(undefined);
    gates[1]?.answer(undefined);
    await sleep(0);
    assert.deepEqual(delivered, [], 'later answers released deliveries before the head was answered');
    gates[0]?.answer(undefined);
    await gates[0]?.promise;
    assert.deepEqual(delivered, [0, 1, 2]);
  });

  test('prepare runs with the answer just before delivery', async () => {
    const delivered: unknown[][] = [];
    const queue = new LocalDeliveries((p) => void delivered.push([...(p.data as unknown[])]));
    const stored = gate<string>();
    const queued = packet(0);
    queue.deliverAfter(stored.promise, queued, OPTS, (offset) => void (queued.data as unknown[]).push(offset));
    stored.answer('offset-1');
    await stored.promise;
    assert.deepEqual(delivered, [['n', 0, 'offset-1']]);
  });

  test('a publish never answered is delivered after maxWaitMs, with those behind it, in order', async () => {
    const { delivered, local } = recorder();
    const queue = local({ maxWaitMs: 40 });
    const stuck = gate();
    const started = performance.now();
    queue.deliverAfter(stuck.promise, packet(0), OPTS);
    queue.deliver(packet(1), OPTS);
    await sleep(20);
    assert.deepEqual(delivered, [], 'released before its deadline');
    await sleep(60);
    assert.deepEqual(delivered, [0, 1], 'not released within 80 ms of a 40 ms deadline');
    assert.ok(performance.now() - started >= 40);
  });

  test('each waiting delivery gets its own deadline, and a late answer does not prepare or deliver twice', async () => {
    const delivered: unknown[][] = [];
    const queue = new LocalDeliveries((p) => void delivered.push([...(p.data as unknown[])]), { maxWaitMs: 30 });
    const late = gate<string>();
    const first = packet(0);
    queue.deliverAfter(late.promise, first, OPTS, (offset) => void (first.data as unknown[]).push(offset));
    await sleep(20);
    const second = gate();
    queue.deliverAfter(second.promise, packet(1), OPTS);
    await sleep(25); // the first is overdue (45 ms), the second not yet (25 of 30 ms)
    assert.deepEqual(delivered, [['n', 0]]);
    late.answer('too late');
    await sleep(0);
    assert.deepEqual(delivered, [['n', 0]], 'a late answer delivered again');
    assert.deepEqual(first.data, ['n', 0], 'a late answer prepared a packet already delivered');
    await sleep(30);
    assert.deepEqual(
      delivered,
      [
        ['n', 0],
        ['n', 1],
      ],
      'the second was not released on its own deadline',
    );
  });

  test('flush() delivers everything waiting at once', () => {
    const { delivered, local } = recorder();
    const queue = local();
    queue.deliverAfter(gate().promise, packet(0), OPTS);
    queue.deliver(packet(1), OPTS);
    queue.flush();
    assert.deepEqual(delivered, [0, 1]);
    assert.equal(queue.size, 0);
  });

  test('a delivery that throws does not stop those behind it', async () => {
    const delivered: unknown[] = [];
    const queue = new LocalDeliveries((p) => {
      const n = (p.data as unknown[])[1];
      if (n === 0) throw new Error('an outgoing listener failed');
      delivered.push(n);
    });
    const first = gate();
    queue.deliverAfter(first.promise, packet(0), OPTS);
    queue.deliver(packet(1), OPTS);
    first.answer(undefined);
    await first.promise;
    assert.deepEqual(delivered, [1]);
  });

  test('rejects a maxWaitMs that is not a duration', () => {
    for (const maxWaitMs of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(() => new LocalDeliveries(() => {}, { maxWaitMs }), RangeError, String(maxWaitMs));
    }
  });
});
