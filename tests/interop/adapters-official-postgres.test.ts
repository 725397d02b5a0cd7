// socket.io's own @socket.io/postgres-adapter (LISTEN/NOTIFY) on two of our server nodes, each test run with its
// own channel prefix and attachments table, dropped afterwards.
import pg from 'pg';
import { describeAdapterCluster } from './adapter-cluster-suite.js';
import { uniqueKey, type NodeSetup } from './adapter-cluster-kit.js';

const DATABASE_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function query(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describeAdapterCluster('@socket.io/postgres-adapter on two Switchboard nodes', {
  setups: (): NodeSetup[] => {
    const key = uniqueKey('postgres');
    return [
      { name: 'A', adapter: { kind: 'postgres', key } },
      { name: 'B', adapter: { kind: 'postgres', key } },
    ];
  },
  prepare: async (setups) => {
    // The adapter stores payloads too big for a NOTIFY in this table (keys are [a-z0-9_], safe as identifiers).
    const table = (setups[0] as NodeSetup).adapter.key;
    await query(`CREATE TABLE ${table} (id bigserial UNIQUE, created_at timestamptz DEFAULT NOW(), payload bytea)`);
    return () => query(`DROP TABLE IF EXISTS ${table}`);
  },
});
