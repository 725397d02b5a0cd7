// The part of node-postgres (`pg`) the adapter uses, typed structurally so a `pg.Pool` fits without @types/pg.

/** What a query resolves with; only `rows` is read. */
export interface PostgresQueryResult {
  rows: Record<string, unknown>[];
}

/** A NOTIFY as node-postgres reports it on a client. */
export interface PostgresNotification {
  channel: string;
  payload?: string | undefined;
}

/** A client checked out of the pool: it holds the LISTEN connection. */
export interface PostgresPoolClient {
  query(text: string): Promise<unknown>;
  on(event: 'notification', listener: (message: PostgresNotification) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  /** Given an error (or true), the pool destroys the connection instead of reusing it. */
  release(err?: Error | boolean): void;
}

/** A `pg.Pool` (or anything with the same `query` and `connect`). */
export interface PostgresPool {
  query(text: string, values?: unknown[]): Promise<PostgresQueryResult>;
  connect(): Promise<PostgresPoolClient>;
}

/** Whether `value` has the pool methods the adapter calls. */
export function isPostgresPool(value: unknown): value is PostgresPool {
  const pool = value as Partial<PostgresPool> | null | undefined;
  return typeof pool?.query === 'function' && typeof pool.connect === 'function';
}
