// Conformance factory: our PostgreSQL adapter, one pool per server process.
import type { ConformanceNodeContext } from '@switchboard/adapter/conformance';
import type { AdapterConstructor } from '@switchboard/server';
import pg from 'pg';
import { createAdapter as createPostgresAdapter } from './index.js';

const pools: pg.Pool[] = [];

export function createAdapter(context: ConformanceNodeContext): AdapterConstructor {
  const pool = new pg.Pool({ connectionString: String(context.options.url), max: 4 });
  pool.on('error', () => {});
  pools.push(pool);
  return createPostgresAdapter(pool, {
    channelPrefix: String(context.options.channelPrefix),
    tableName: String(context.options.tableName),
    requestsTimeout: context.requestsTimeout,
    heartbeatInterval: context.heartbeatInterval,
    heartbeatTimeout: context.heartbeatTimeout,
  });
}

export async function closeAdapter(): Promise<void> {
  await Promise.all(pools.map((pool) => pool.end().catch(() => {})));
}
