// The kit's conformance suite on the node:cluster adapter: three workers forked by this test process, which is
// the primary and relays with setupPrimary().
import { fileURLToPath } from 'node:url';
import { defineAdapterConformanceSuite } from '@switchboard/adapter/conformance';
import { setupPrimary } from './index.js';

setupPrimary();

defineAdapterConformanceSuite({
  name: '@switchboard/cluster-adapter (node:cluster workers, IPC through the primary)',
  factoryModule: fileURLToPath(new URL('./conformance.fixture.ts', import.meta.url)),
  processModel: 'cluster-worker',
});
