// @ts-check
// A cluster node's PostgreSQL adapter: a pg.Pool with either our @switchboard/postgres-adapter or socket.io's
// @socket.io/postgres-adapter 0.5, on a channel prefix and attachments table unique to the run (the runner drops it).
import pg from 'pg';
import { localDeliveryOptions } from '../lib/adapter-options.mjs';

/**
 * @param {'ours' | 'official'} kind
 * @param {string} url
 * @param {string} key channel prefix and table name, unique per run
 * @returns {Promise<import('./redis.mjs').ClusterAdapter>} published: statements the adapter sent through the pool
 */
export async function createPostgresClusterAdapter(kind, url, key) {
  const pool = new pg.Pool({ connectionString: url });
  pool.on('error', (error) => process.stderr.write(`pg pool: ${String(error)}\n`));
  await pool.query(
    `CREATE TABLE IF NOT EXISTS ${key} (id bigserial UNIQUE, created_at timestamptz DEFAULT NOW(), payload bytea)`,
  );
  // Counted on the pool: each is a round trip to PostgreSQL (ours batches many NOTIFYs in one).
  let published = 0;
  const query = pool.query.bind(pool);
  pool.query = /** @type {typeof pool.query} */ (
    /** @type {unknown} */ (
      (/** @type {Parameters<typeof pool.query>} */ ...args) => {
        if (typeof args[0] === 'string' && /pg_notify/.test(args[0])) published++;
        return /** @type {(...a: unknown[]) => unknown} */ (query)(...args);
      }
    )
  );
  const opts = { channelPrefix: key, tableName: key };
  const factory =
    kind === 'ours'
      ? (await import('@switchboard/postgres-adapter')).createAdapter(pool, { ...opts, ...localDeliveryOptions() })
      : (await import('@socket.io/postgres-adapter')).createAdapter(pool, opts);
  return {
    factory,
    published: () => published,
    async close() {
      await pool.end().catch(() => {});
    },
  };
}
