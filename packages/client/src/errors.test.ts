// The client's error codes: Switchboard errors with stable codes, documented exactly in docs/errors.md.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { isSwitchboardError } from '@switchboard/protocol';
import { ClientError, ClientErrorCode } from './errors.js';

test('client errors are Switchboard errors carrying their code, name and data', () => {
  const error = new ClientError(ClientErrorCode.CONNECT_REFUSED, 'not authorized', { reason: 'x' });
  assert.ok(isSwitchboardError(error));
  assert.equal(error.code, 'SIO_ERR_CONNECT_REFUSED');
  assert.equal(error.name, 'ClientError');
  assert.deepEqual(error.data, { reason: 'x' });
  assert.equal('data' in new ClientError(ClientErrorCode.ACK_TIMEOUT, 'operation has timed out'), false);
});

test('every ClientErrorCode is keyed by its code without the SIO_ERR_ prefix', () => {
  for (const [key, code] of Object.entries(ClientErrorCode)) assert.equal(code, `SIO_ERR_${key}`);
});

test('client error codes are documented exactly in docs/errors.md, each with a cause and a remedy', () => {
  const markdown = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
  const match = /^## Socket\.IO client errors\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(markdown);
  assert.ok(match, 'docs/errors.md has a "## Socket.IO client errors" section');
  const rows = (match[1] ?? '')
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => line.split(' | ').map((cell) => cell.replace(/^\| |\s\|$/g, '').trim()));
  for (const row of rows) assert.equal(row.length, 3, `row ${row[0] ?? ''} has code, cause and remedy`);
  assert.deepEqual(rows.map((row) => (row[0] ?? '').replaceAll('`', '')).sort(), Object.values(ClientErrorCode).sort());
});
