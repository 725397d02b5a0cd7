// LocalDeliveries on its own: emit order, synchronous drain (batchMs 0), the deadline that bounds a wait for a publish
// that is never answered (a half-open connection), flush() on close, and the batching of answered deliveries behind
// publishes still in flight.
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

/** Deliveries recorded in order; without batching unless the test asks for it. */
function recorder(): {
  delivered: unknown[];
  local: (opts?: { maxWaitMs?: number; batchMs?: number }) => LocalDeliveries;
} {
  const delivered: unknown[] = [];
  return {
    delivered,
    local: (opts) => new LocalDeliveries((p) => void delivered.push((p.data as unknown[])[1]), { batchMs: 0, ...opts }),
  };
}

/** The rest of this event-loop turn: the check phase, where a batching queue decides. */
const turn = () => new Promise((resolve) => setImmediate(resolve));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(5);
  }
}

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
    const queue = new LocalDeliveries((p) => void delivered.push([...(p.data as unknown[])]), { batchMs: 0 });
    const stored = gate<string>();
    const queued = packet(0);
    queue.deliverAfter(stored.promise, queued, OPTS, (offset) => void (queued.data as unknown[]).push(offset));
    stored.answer('offset-1');
    await stored.promise;
    assert.deepEqual(delivered, [['n', 0, 'offset-1']]);
  });

  test('a publish never answered is delivered after maxWaitMs, with those behind it, in order', async () => {
    const { delivered, local } = recorder();
    const queue = local({ maxWaitMs: 200 });
    const started = performance.now();
    queue.deliverAfter(gate().promise, packet(0), OPTS);
    queue.deliver(packet(1), OPTS);
    await sleep(20);
    if (performance.now() - started < 190) assert.deepEqual(delivered, [], 'released before its deadline');
    await until(() => delivered.length === 2);
    assert.deepEqual(delivered, [0, 1]);
    assert.ok(performance.now() - started >= 199, 'released before its 200 ms deadline');
  });

  test('each waiting delivery gets its own deadline, and a late answer does not prepare or deliver twice', async () => {
    // Timers may fire late on a busy machine, never early: the assertions only rely on that.
    const delivered: unknown[][] = [];
    const at: number[] = [];
    const started = performance.now();
    const queue = new LocalDeliveries(
      (p) => {
        delivered.push([...(p.data as unknown[])]);
        at.push(performance.now() - started);
      },
      { maxWaitMs: 60, batchMs: 0 },
    );
    const late = gate<string>();
    const first = packet(0);
    queue.deliverAfter(late.promise, first, OPTS, (offset) => void (first.data as unknown[]).push(offset));
    await sleep(30);
    const secondQueuedAt = performance.now() - started;
    queue.deliverAfter(gate().promise, packet(1), OPTS);
    await until(() => delivered.length >= 1);
    late.answer('too late');
    await sleep(0);
    assert.deepEqual(first.data, ['n', 0], 'a late answer prepared a packet already delivered');
    await until(() => delivered.length >= 2);
    await sleep(20);
    assert.deepEqual(
      delivered,
      [
        ['n', 0],
        ['n', 1],
      ],
      'a late answer delivered again, or out of order',
    );
    assert.ok((at[0] ?? 0) >= 59, `the first went out after ${String(at[0])} ms, before its 60 ms deadline`);
    assert.ok(
      (at[1] ?? 0) >= secondQueuedAt + 59,
      `the second went out ${String((at[1] ?? 0) - secondQueuedAt)} ms after it was queued, before its deadline`,
    );
  });

  test('a queue that never empties (a publish always in flight) keeps its order over thousands of deliveries', async () => {
    const { delivered, local } = recorder();
    const queue = local();
    let previous = gate();
    queue.deliverAfter(previous.promise, packet(0), OPTS);
    for (let i = 1; i < 3000; i++) {
      const next = gate();
      queue.deliverAfter(next.promise, packet(i), OPTS);
      previous.answer(undefined);
      await previous.promise;
      previous = next;
    }
    assert.equal(queue.size, 1, 'more than the last delivery still waits');
    previous.answer(undefined);
    await previous.promise;
    assert.equal(delivered.length, 3000);
    assert.ok(
      delivered.every((n, i) => n === i),
      'deliveries out of order across the queue being compacted',
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
    const queue = new LocalDeliveries(
      (p) => {
        const n = (p.data as unknown[])[1];
        if (n === 0) throw new Error('an outgoing listener failed');
        delivered.push(n);
      },
      { batchMs: 0 },
    );
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

describe('LocalDeliveries batching (batchMs)', () => {
  /** Queues delivery `n` behind a publish and has the publish answered (its reaction has run when this resolves). */
  async function answered(queue: LocalDeliveries, n: number): Promise<void> {
    const published = gate();
    queue.deliverAfter(published.promise, packet(n), OPTS);
    published.answer(undefined);
    await published.promise;
  }

  test('an answered delivery goes out in the same turn when no publish is in flight', async () => {
    const { delivered, local } = recorder();
    const queue = local({ batchMs: 60_000 });
    await answered(queue, 0);
    await turn();
    assert.deepEqual(delivered, [0], 'an answered delivery waited although nothing else was in flight');
  });

  test('an answered delivery waits for a publish emitted behind it in the same turn, then both go out', async () => {
    const { delivered, local } = recorder();
    const queue = local({ batchMs: 60_000 });
    await answered(queue, 0);
    const second = gate();
    // An application emitting once per turn (or per incoming message) emits the next before the turn ends.
    queue.deliverAfter(second.promise, packet(1), OPTS);
    await turn();
    assert.deepEqual(delivered, [], 'the answered delivery went out while the next publish was in flight');
    second.answer(undefined);
    await second.promise;
    await turn();
    assert.deepEqual(delivered, [0, 1], 'the two did not go out once nothing was in flight');
  });

  test('with a publish always in flight, deliveries still go out every batchMs, grouped and in order', async () => {
    const delivered: number[] = [];
    /** The turn each delivery went out in: deliveries of one turn reach a client in one write. */
    const turns: number[] = [];
    let turnNumber = 0;
    const queue = new LocalDeliveries(
      (p) => {
        delivered.push((p.data as unknown[])[1] as number);
        turns.push(turnNumber);
      },
      { batchMs: 5 },
    );
    let previous = gate();
    queue.deliverAfter(previous.promise, packet(0), OPTS);
    let emitted = 1;
    const streamFor = performance.now() + 300;
    while (performance.now() < streamFor) {
      previous.answer(undefined);
      const next = gate();
      queue.deliverAfter(next.promise, packet(emitted++), OPTS);
      previous = next;
      await turn();
      turnNumber++;
    }
    const duringStream = delivered.length;
    previous.answer(undefined);
    await previous.promise;
    await turn();
    assert.ok(duringStream > 0, 'nothing went out while publishes were always in flight');
    assert.equal(delivered.length, emitted, 'deliveries lost');
    assert.ok(
      delivered.every((n, i) => n === i),
      'deliveries out of order',
    );
    const groups = new Set(turns).size;
    assert.ok(groups < emitted / 2, `${emitted} deliveries went out in ${groups} turns: not grouped`);
  });

  test('flush() delivers answered deliveries held for batching at once', async () => {
    const { delivered, local } = recorder();
    const queue = local({ batchMs: 60_000 });
    await answered(queue, 0);
    queue.deliverAfter(gate().promise, packet(1), OPTS);
    await turn();
    assert.deepEqual(delivered, []);
    queue.flush();
    assert.deepEqual(delivered, [0, 1]);
    assert.equal(queue.size, 0);
  });

  test('rejects a batchMs that is not a duration', () => {
    for (const batchMs of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(() => new LocalDeliveries(() => {}, { batchMs }), RangeError, String(batchMs));
    }
  });
});
