// The admin error codes: Switchboard errors with stable codes, documented exactly in docs/errors.md.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { isSwitchboardError } from '@switchboard/protocol';
import { AdminError, AdminErrorCode } from './errors.js';

test('an AdminError is a Switchboard error with its code, and only a credentials error carries data', () => {
  const refused = new AdminError(AdminErrorCode.INVALID_CREDENTIALS, 'invalid credentials');
  assert.ok(isSwitchboardError(refused));
  assert.equal(refused.name, 'AdminError');
  assert.deepEqual(refused.data, { code: 'ADMIN_ERR_INVALID_CREDENTIALS' });
  assert.equal(new AdminError(AdminErrorCode.INVALID_OPTION, 'bad').data, undefined);
});

test('every AdminErrorCode is keyed by its code without the ADMIN_ERR_ prefix', () => {
  for (const [key, code] of Object.entries(AdminErrorCode)) assert.equal(code, `ADMIN_ERR_${key}`);
});

test('admin error codes are documented exactly in docs/errors.md, each with a cause and a remedy', () => {
  const markdown = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
  const match = /^## Admin errors\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(markdown);
  assert.ok(match, 'docs/errors.md has a "## Admin errors" section');
  const rows = (match[1] ?? '')
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => line.split(' | ').map((cell) => cell.replace(/^\| |\s\|$/g, '').trim()));
  for (const row of rows) assert.equal(row.length, 3, `row ${row[0] ?? ''} has code, cause and remedy`);
  assert.deepEqual(rows.map((row) => (row[0] ?? '').replaceAll('`', '')).sort(), Object.values(AdminErrorCode).sort());
});
