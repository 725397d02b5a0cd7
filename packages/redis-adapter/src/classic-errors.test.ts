// The Redis adapter's error codes: Switchboard errors with stable codes, documented exactly in docs/errors.md.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { isSwitchboardError } from '@switchboard/protocol';
import { RedisAdapterError, RedisAdapterErrorCode } from './classic-errors.js';

test('a RedisAdapterError is a Switchboard error with its code and cause', () => {
  const cause = new Error('connection lost');
  const err = new RedisAdapterError(RedisAdapterErrorCode.REDIS_UNAVAILABLE, 'PUBSUB NUMSUB failed', { cause });
  assert.ok(isSwitchboardError(err));
  assert.equal(err.name, 'RedisAdapterError');
  assert.equal(err.code, 'ADAPTER_ERR_REDIS_UNAVAILABLE');
  assert.equal(err.cause, cause);
});

test('every RedisAdapterErrorCode is keyed by its code without the ADAPTER_ERR_ prefix', () => {
  for (const [key, code] of Object.entries(RedisAdapterErrorCode)) assert.equal(code, `ADAPTER_ERR_${key}`);
});

test('Redis adapter error codes are documented exactly in docs/errors.md, each with a cause and a remedy', () => {
  const markdown = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
  const match = /^## Redis adapter errors\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(markdown);
  assert.ok(match, 'docs/errors.md has a "## Redis adapter errors" section');
  const rows = (match[1] ?? '')
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => line.split(' | ').map((cell) => cell.replace(/^\| |\s\|$/g, '').trim()));
  for (const row of rows) assert.equal(row.length, 3, `row ${row[0] ?? ''} has code, cause and remedy`);
  assert.deepEqual(rows.map((row) => (row[0] ?? '').replaceAll('`', '')).sort(), Object.values(RedisAdapterErrorCode).sort());
});
