// The conformance suite proven on the reference: the in-memory adapter, with one server process.
import { fileURLToPath } from 'node:url';
import { defineAdapterConformanceSuite } from './index.js';

defineAdapterConformanceSuite({
  name: 'InMemoryAdapter',
  nodes: 1,
  factoryModule: fileURLToPath(new URL('./in-memory.fixture.ts', import.meta.url)),
});
