// The conformance suite on the Redis streams adapter: three server processes on the real Redis, over node-redis v4,
// node-redis v5 and ioredis, each on a stream and channels of its own (deleted afterwards); once more with every
// routing option of the official adapter on (two streams, sharded pub/sub; onlyPlaintext would fail the
// binary test by design).
import { randomBytes } from 'node:crypto';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createClient } from 'redis';
import { defineAdapterConformanceSuite } from '@switchboard/adapter/conformance';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const keys: string[] = [];

function uniqueKey(): string {
  const key = `sb-test-streams-${randomBytes(6).toString('hex')}`;
  keys.push(key);
  return key;
}

after(async () => {
  const client = createClient({ url });
  await client.connect();
  const streams = keys.flatMap((key) => [`${key}-stream`, `${key}-stream-0`, `${key}-stream-1`]);
  await client.del(streams);
  await client.quit();
});

defineAdapterConformanceSuite({
  name: 'Redis streams adapter, node-redis v4',
  factoryModule: fileURLToPath(new URL('./node-redis.fixture.ts', import.meta.url)),
  factoryOptions: { url, key: uniqueKey(), client: 'v4' },
});

defineAdapterConformanceSuite({
  name: 'Redis streams adapter, node-redis v5',
  factoryModule: fileURLToPath(new URL('./node-redis.fixture.ts', import.meta.url)),
  factoryOptions: { url, key: uniqueKey(), client: 'v5' },
});

defineAdapterConformanceSuite({
  name: 'Redis streams adapter, ioredis',
  factoryModule: fileURLToPath(new URL('./ioredis.fixture.ts', import.meta.url)),
  factoryOptions: { url, key: uniqueKey() },
});

defineAdapterConformanceSuite({
  name: 'Redis streams adapter, ioredis, streamCount 2, useShardedPubSub',
  factoryModule: fileURLToPath(new URL('./ioredis.fixture.ts', import.meta.url)),
  factoryOptions: { url, key: uniqueKey(), extra: { streamCount: 2, useShardedPubSub: true } },
});
