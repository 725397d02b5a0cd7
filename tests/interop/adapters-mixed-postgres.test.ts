// A mixed cluster on one PostgreSQL: a node with socket.io's @socket.io/postgres-adapter 0.5 and a node with ours
// (@switchboard/postgres-adapter), same channels and table. The suite runs operations from node A, so it runs twice:
// the official adapter first, then ours first (both directions). Each run has its own prefix and table, dropped after.
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

async function prepare(setups: NodeSetup[]): Promise<() => Promise<void>> {
  const table = (setups[0] as NodeSetup).adapter.key;
  // The official adapter does not create its table; ours would (CREATE TABLE IF NOT EXISTS), this does it for both.
  await query(`CREATE TABLE ${table} (id bigserial UNIQUE, created_at timestamptz DEFAULT NOW(), payload bytea)`);
  return () => query(`DROP TABLE IF EXISTS ${table}`);
}

describeAdapterCluster(
  'mixed cluster on PostgreSQL: @socket.io/postgres-adapter node A, @switchboard/postgres-adapter node B',
  {
    setups: (): NodeSetup[] => {
      const key = uniqueKey('pgmixed1');
      return [
        { name: 'A', adapter: { kind: 'postgres', key } },
        { name: 'B', adapter: { kind: 'switchboard-postgres', key } },
      ];
    },
    prepare,
    ownIdRoomsListed: false,
  },
);

describeAdapterCluster(
  'mixed cluster on PostgreSQL: @switchboard/postgres-adapter node A, @socket.io/postgres-adapter node B',
  {
    setups: (): NodeSetup[] => {
      const key = uniqueKey('pgmixed2');
      return [
        { name: 'A', adapter: { kind: 'switchboard-postgres', key } },
        { name: 'B', adapter: { kind: 'postgres', key } },
      ];
    },
    prepare,
  },
);
