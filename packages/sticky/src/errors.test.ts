// Sticky routing's error codes: Switchboard errors with stable codes, documented exactly in docs/errors.md.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { isSwitchboardError } from '@switchboard/protocol';
import { StickyError, StickyErrorCode } from './errors.js';
import { setupMaster, setupWorker } from './index.js';
import { createServer } from 'node:http';

test('a StickyError is a Switchboard error with its code', () => {
  const err = new StickyError(StickyErrorCode.WRONG_PROCESS, 'not a worker');
  assert.ok(isSwitchboardError(err));
  assert.equal(err.name, 'StickyError');
  assert.equal(err.code, 'EIO_ERR_WRONG_PROCESS');
});

test('setupMaster refuses an unknown loadBalancingMethod, naming it', () => {
  const method = 'fastest' as unknown as 'random';
  assert.throws(() => setupMaster(createServer(), { loadBalancingMethod: method }), {
    code: 'EIO_ERR_INVALID_OPTION',
    message: /fastest/,
  });
});

test('setupWorker refuses to run outside a node:cluster worker', () => {
  const io = { engine: { on: () => undefined, off: () => undefined } };
  assert.throws(() => setupWorker(io), { code: 'EIO_ERR_WRONG_PROCESS' });
});

test('sticky routing error codes are documented exactly in docs/errors.md, each with a cause and a remedy', () => {
  const markdown = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
  const match = /^## Sticky routing errors\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(markdown);
  assert.ok(match, 'docs/errors.md has a "## Sticky routing errors" section');
  const rows = (match[1] ?? '')
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => line.split(' | ').map((cell) => cell.replace(/^\| |\s\|$/g, '').trim()));
  for (const row of rows) assert.equal(row.length, 3, `row ${row[0] ?? ''} has code, cause and remedy`);
  assert.deepEqual(rows.map((row) => (row[0] ?? '').replaceAll('`', '')).sort(), Object.values(StickyErrorCode).sort());
});
