// The PostgreSQL emitter's error codes: Switchboard errors with stable codes, documented exactly in docs/errors.md.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { isSwitchboardError } from '@switchboard/protocol';
import { PostgresEmitterError, PostgresEmitterErrorCode } from './errors.js';

test('a PostgresEmitterError is a Switchboard error with its code', () => {
  const err = new PostgresEmitterError(PostgresEmitterErrorCode.RESERVED_EVENT, '"connect" is a reserved event name');
  assert.ok(isSwitchboardError(err));
  assert.equal(err.name, 'PostgresEmitterError');
  assert.equal(err.code, 'ADAPTER_ERR_RESERVED_EVENT');
});

test('every PostgresEmitterErrorCode is keyed by its code without the ADAPTER_ERR_ prefix', () => {
  for (const [key, code] of Object.entries(PostgresEmitterErrorCode)) assert.equal(code, `ADAPTER_ERR_${key}`);
});

test('PostgreSQL emitter error codes are documented exactly in docs/errors.md, each with a cause and a remedy', () => {
  const markdown = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
  const match = /^## PostgreSQL emitter errors\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(markdown);
  assert.ok(match, 'docs/errors.md has a "## PostgreSQL emitter errors" section');
  const rows = (match[1] ?? '')
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => line.split(' | ').map((cell) => cell.replace(/^\| |\s\|$/g, '').trim()));
  for (const row of rows) assert.equal(row.length, 3, `row ${row[0] ?? ''} has code, cause and remedy`);
  assert.deepEqual(
    rows.map((row) => (row[0] ?? '').replaceAll('`', '')).sort(),
    Object.values(PostgresEmitterErrorCode).sort(),
  );
});
