// The kit's conformance suite on the PostgreSQL adapter: three server processes on the real PostgreSQL, on a
// channel prefix and attachments table of their own (the table is dropped afterwards).
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';
import { defineAdapterConformanceSuite } from '@switchboard/adapter/conformance';
import { DATABASE_URL, sql, uniqueName } from './pg-test.fixture.js';

const tableName = uniqueName('conformance');

defineAdapterConformanceSuite({
  name: 'PostgreSQL adapter (LISTEN/NOTIFY)',
  factoryModule: fileURLToPath(new URL('./conformance.fixture.ts', import.meta.url)),
  factoryOptions: { url: DATABASE_URL, channelPrefix: tableName, tableName },
});

after(() => sql(`DROP TABLE IF EXISTS ${tableName}`));
