// The conformance suite on the sharded Redis adapter: three server processes on the real Redis, node-redis v4
// (subscription mode dynamic, the default) and ioredis (dynamic-private), each run on channels of its own.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { defineAdapterConformanceSuite } from '@switchboard/adapter/conformance';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

defineAdapterConformanceSuite({
  name: 'sharded Redis adapter, node-redis v4, dynamic subscriptions',
  factoryModule: fileURLToPath(new URL('./sharded-node-redis.fixture.ts', import.meta.url)),
  factoryOptions: { url, channelPrefix: `sb-test-${randomBytes(6).toString('hex')}`, subscriptionMode: 'dynamic' },
});

defineAdapterConformanceSuite({
  name: 'sharded Redis adapter, ioredis, dynamic-private subscriptions',
  factoryModule: fileURLToPath(new URL('./sharded-ioredis.fixture.ts', import.meta.url)),
  factoryOptions: {
    url,
    channelPrefix: `sb-test-${randomBytes(6).toString('hex')}`,
    subscriptionMode: 'dynamic-private',
  },
});
