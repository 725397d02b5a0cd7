// createAdapter's checks of what it is given: coded errors thrown at once, naming the option.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createClient } from 'redis';
import { createAdapter } from './classic-adapter.js';
import type { RedisAdapterOptions } from './classic-adapter.js';
import type { RedisClient } from './classic-redis-client.js';

// Never connected: createAdapter only inspects the clients, it sends nothing before a namespace uses it.
const pub = createClient() as unknown as RedisClient;
const sub = createClient() as unknown as RedisClient;

test('createAdapter refuses unusable options with ADAPTER_ERR_INVALID_OPTION, naming the option', () => {
  const cases: [RedisAdapterOptions, RegExp][] = [
    [{ key: '' }, /^key must be a non-empty string/],
    [{ requestsTimeout: 0 }, /^requestsTimeout must be a positive number/],
    [{ requestsTimeout: Number.NaN }, /^requestsTimeout must be a positive number/],
    [{ parser: {} as never }, /^parser must have encode/],
    [{ localBatchMs: -1 }, /^localBatchMs must be a number of milliseconds >= 0/],
    [{ localBatchMs: Number.POSITIVE_INFINITY }, /^localBatchMs must be a number of milliseconds >= 0/],
  ];
  for (const [opts, message] of cases) {
    assert.throws(
      () => createAdapter(pub, sub, opts),
      { code: 'ADAPTER_ERR_INVALID_OPTION', message },
      JSON.stringify(opts),
    );
  }
});

test('createAdapter refuses clients that are neither node-redis nor ioredis, or of two kinds, with ADAPTER_ERR_UNSUPPORTED_CLIENT', () => {
  const ioredisLike = {
    psubscribe() {},
    punsubscribe() {},
    subscribe() {},
    unsubscribe() {},
    publish() {},
    call() {},
    on() {},
    off() {},
  };
  assert.throws(() => createAdapter({} as RedisClient, {} as RedisClient), { code: 'ADAPTER_ERR_UNSUPPORTED_CLIENT' });
  assert.throws(() => createAdapter(pub, ioredisLike), { code: 'ADAPTER_ERR_UNSUPPORTED_CLIENT' });
  assert.equal(typeof createAdapter(ioredisLike, ioredisLike), 'function');
  assert.equal(typeof createAdapter(pub, sub), 'function');
});
