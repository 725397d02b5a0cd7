// The PostgreSQL adapter's error codes: thrown at once for bad options, documented exactly in docs/errors.md.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { isSwitchboardError } from '@switchboard/protocol';
import { createAdapter, PostgresAdapterErrorCode, type PostgresPool } from './index.js';

const pool = {
  query: () => Promise.resolve({ rows: [] }),
  connect: () => Promise.reject(new Error('unused')),
} as unknown as PostgresPool;

test('createAdapter rejects a pool without query and connect with ADAPTER_ERR_UNSUPPORTED_CLIENT', () => {
  assert.throws(
    () => createAdapter({} as PostgresPool),
    (err: unknown) => isSwitchboardError(err) && err.code === 'ADAPTER_ERR_UNSUPPORTED_CLIENT',
  );
});

test('createAdapter names the unusable option with ADAPTER_ERR_INVALID_OPTION', () => {
  for (const [opts, option] of [
    [{ tableName: 'x; DROP TABLE y' }, 'tableName'],
    [{ payloadThreshold: 9000 }, 'payloadThreshold'],
    [{ cleanupInterval: 0 }, 'cleanupInterval'],
    [{ channelPrefix: '' }, 'channelPrefix'],
    [{ localBatchMs: -1 }, 'localBatchMs'],
  ] as const) {
    assert.throws(
      () => createAdapter(pool, opts),
      (err: unknown) =>
        isSwitchboardError(err) && err.code === 'ADAPTER_ERR_INVALID_OPTION' && err.message.startsWith(option),
    );
  }
});

test('PostgreSQL adapter error codes are documented exactly in docs/errors.md, each with a cause and a remedy', () => {
  const markdown = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
  const match = /^## PostgreSQL adapter errors\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(markdown);
  assert.ok(match, 'docs/errors.md has a "## PostgreSQL adapter errors" section');
  const rows = (match[1] ?? '')
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => line.split(' | ').map((cell) => cell.replace(/^\| |\s\|$/g, '').trim()));
  for (const row of rows) assert.equal(row.length, 3, `row ${row[0] ?? ''} has code, cause and remedy`);
  assert.deepEqual(
    rows.map((row) => (row[0] ?? '').replaceAll('`', '')).sort(),
    Object.values(PostgresAdapterErrorCode).sort(),
  );
});
