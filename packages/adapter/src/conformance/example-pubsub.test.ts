// The conformance suite on the docs' example adapter (ClusterAdapter with heartbeats over Redis PUBLISH/SUBSCRIBE),
// three server processes on the real Redis, on channels of its own.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { defineAdapterConformanceSuite } from './index.js';

defineAdapterConformanceSuite({
  name: 'ClusterAdapter with heartbeats (the example adapter of docs/adapters.md)',
  factoryModule: fileURLToPath(new URL('./example-pubsub.fixture.ts', import.meta.url)),
  factoryOptions: {
    url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    prefix: `sb-kit-${randomBytes(6).toString('hex')}`,
  },
});
