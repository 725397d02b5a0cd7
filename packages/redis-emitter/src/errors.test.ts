// The Redis emitter's error codes: Switchboard errors with stable codes, documented exactly in docs/errors.md.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { isSwitchboardError } from '@switchboard/protocol';
import { EmitterError, EmitterErrorCode } from './errors.js';

test('an EmitterError is a Switchboard error with its code', () => {
  const err = new EmitterError(EmitterErrorCode.RESERVED_EVENT, '"connect" is a reserved event name');
  assert.ok(isSwitchboardError(err));
  assert.equal(err.name, 'EmitterError');
  assert.equal(err.code, 'ADAPTER_ERR_RESERVED_EVENT');
});

test('every EmitterErrorCode is keyed by its code without the ADAPTER_ERR_ prefix', () => {
  for (const [key, code] of Object.entries(EmitterErrorCode)) assert.equal(code, `ADAPTER_ERR_${key}`);
});

test('Redis emitter error codes are documented exactly in docs/errors.md, each with a cause and a remedy', () => {
  const markdown = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
  const match = /^## Redis emitter errors\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(markdown);
  assert.ok(match, 'docs/errors.md has a "## Redis emitter errors" section');
  const rows = (match[1] ?? '')
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => line.split(' | ').map((cell) => cell.replace(/^\| |\s\|$/g, '').trim()));
  for (const row of rows) assert.equal(row.length, 3, `row ${row[0] ?? ''} has code, cause and remedy`);
  assert.deepEqual(
    rows.map((row) => (row[0] ?? '').replaceAll('`', '')).sort(),
    Object.values(EmitterErrorCode).sort(),
  );
});
