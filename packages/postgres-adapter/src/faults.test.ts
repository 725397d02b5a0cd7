// Faults of PostgreSQL under a running cluster: the LISTEN connection killed (pg_terminate_backend), and a restart
// of the server (on a cluster of our own, never the shared one). The adapter reconnects, LISTENs again and the
// broadcasts resume; nothing crashes and no promise is left rejected unhandled.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  emitUntilReceived,
  eventually,
  PrivatePostgres,
  sql,
  startNode,
  TestClient,
  uniqueName,
  type TestNode,
} from './pg-test.fixture.js';

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};
process.on('unhandledRejection', onUnhandled);
after(() => {
  process.off('unhandledRejection', onUnhandled);
});

/** Two servers with one client each, on the database at `url`. */
async function startPair(
  url: string | undefined,
  name: string,
): Promise<{ a: TestNode; b: TestNode; clientOfB: TestClient; close(): Promise<void> }> {
  const opts = { channelPrefix: name, tableName: name };
  const a = await startNode(opts, url);
  const b = await startNode(opts, url);
  const clientOfB = new TestClient(b.port);
  await clientOfB.connected();
  await eventually(
    'both servers see each other',
    5000,
    async () => (await a.io.of('/').adapter.serverCount()) === 2 && (await b.io.of('/').adapter.serverCount()) === 2,
  );
  return {
    a,
    b,
    clientOfB,
    async close() {
      clientOfB.close();
      await a.close();
      await b.close();
    },
  };
}

describe('the LISTEN connection killed with pg_terminate_backend', { timeout: 30_000 }, () => {
  const name = uniqueName('terminate');
  let pair: Awaited<ReturnType<typeof startPair>>;

  before(async () => {
    pair = await startPair(undefined, name);
  });

  after(async () => {
    await pair?.close();
    await sql(`DROP TABLE IF EXISTS ${name}`);
  });

  test('is replaced: the servers LISTEN again, broadcasts resume and both still count two servers', async () => {
    // The LISTEN connections are the backends whose last statement listened on this run's channels.
    const killed = await sql<{ pid: number }>(
      `SELECT pg_terminate_backend(pid) AS killed, pid FROM pg_stat_activity WHERE query LIKE $1 AND pid <> pg_backend_pid()`,
      [`LISTEN "${name}#%`],
    );
    assert.equal(killed.length, 2, 'one LISTEN connection per server was terminated');
    await eventually(
      'both servers report the lost connection',
      5000,
      () => pair.a.errors.length > 0 && pair.b.errors.length > 0,
    );
    await eventually('both servers LISTEN again', 10_000, async () => {
      const rows = await sql(`SELECT pid FROM pg_stat_activity WHERE query LIKE $1`, [`LISTEN "${name}#%`]);
      return rows.length === 2 && rows.every((row) => !killed.some((k) => k.pid === row['pid']));
    });
    await emitUntilReceived(pair.a.io, pair.clientOfB, 'after-terminate', 10_000);
    assert.deepEqual(
      [await pair.a.io.of('/').adapter.serverCount(), await pair.b.io.of('/').adapter.serverCount()],
      [2, 2],
    );
    assert.deepEqual(unhandled, []);
  });
});

describe('a restart of PostgreSQL (a private cluster)', { timeout: 60_000 }, () => {
  const name = uniqueName('restart');
  let postgres: PrivatePostgres;
  let pair: Awaited<ReturnType<typeof startPair>>;

  before(async () => {
    postgres = await PrivatePostgres.create();
    pair = await startPair(postgres.url, name);
  });

  after(async () => {
    await pair?.close();
    await postgres?.destroy();
  });

  test('is survived: the servers reconnect once it is back, LISTEN again and broadcasts resume', async () => {
    pair.a.io.emit('before-restart');
    await pair.clientOfB.next('before-restart', 5000);
    await postgres.stop();
    // While PostgreSQL is down, emitting fails quietly (reported to errorHandler), never thrown at the caller.
    pair.a.io.emit('while-down');
    await eventually(
      'both servers report the lost connection',
      5000,
      () => pair.a.errors.length > 0 && pair.b.errors.length > 0,
    );
    await postgres.start();
    await emitUntilReceived(pair.a.io, pair.clientOfB, 'after-restart', 20_000);
    await eventually(
      'both servers count two servers again',
      5000,
      async () =>
        (await pair.a.io.of('/').adapter.serverCount()) === 2 && (await pair.b.io.of('/').adapter.serverCount()) === 2,
    );
    assert.deepEqual(unhandled, []);
  });
});
