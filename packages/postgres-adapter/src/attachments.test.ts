// Payloads that cannot travel in a NOTIFY (binary, or 8000 bytes and more) go through the attachments table, which
// the schedule empties.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { eventually, sql, startNode, TestClient, uniqueName, type TestNode } from './pg-test.fixture.js';

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

describe('the attachments table', { timeout: 30_000 }, () => {
  const name = uniqueName('attach');
  let a: TestNode;
  let b: TestNode;
  let clientOfB: TestClient;

  before(async () => {
    // Rows older than cleanupInterval are deleted: short enough for the last test, long enough that a loaded machine
    // reads the 1 MiB row before it goes (with 300 ms, a busy run lost it).
    const opts = { channelPrefix: name, tableName: name, cleanupInterval: 3000 };
    a = await startNode(opts);
    b = await startNode(opts);
    clientOfB = new TestClient(b.port);
    await clientOfB.connected();
    await eventually('both servers see each other', 5000, async () => (await a.io.of('/').adapter.serverCount()) === 2);
  });

  after(async () => {
    clientOfB?.close();
    await a?.close();
    await b?.close();
    await sql(`DROP TABLE IF EXISTS ${name}`);
  });

  test('carries a 1 MiB binary broadcast to the other server intact', async () => {
    const bytes = randomBytes(1 << 20);
    a.io.emit('big', bytes);
    const [received] = (await clientOfB.next('big', 10_000)) as [ArrayBuffer];
    const got = new Uint8Array(received);
    assert.deepEqual([got.byteLength, sha256(got)], [bytes.byteLength, sha256(bytes)]);
  });

  test('carries a 20 kB string broadcast (over the NOTIFY limit) to the other server', async () => {
    const text = 'é'.repeat(10_000);
    a.io.emit('long', text);
    assert.deepEqual(await clientOfB.next('long', 5000), [text]);
  });

  test('holds no rows once the cleanup has run', async () => {
    await eventually('the table is empty', 15_000, async () => {
      const [row] = await sql<{ count: string }>(`SELECT count(*) AS count FROM ${name}`);
      return row?.count === '0';
    });
  });
});
