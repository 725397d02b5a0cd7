// The server's error codes: Switchboard errors with stable codes, documented exactly in docs/errors.md.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { isSwitchboardError } from '@switchboard/protocol';
import { ServerError, ServerErrorCode } from './errors.js';

describe('server errors', () => {
  test('are Switchboard errors carrying their code, name and cause', () => {
    const cause = new Error('root');
    const error = new ServerError(ServerErrorCode.ACK_TIMEOUT, 'operation has timed out', { cause });
    assert.ok(isSwitchboardError(error));
    assert.equal(error.code, 'SIO_ERR_ACK_TIMEOUT');
    assert.equal(error.name, 'ServerError');
    assert.equal(error.cause, cause);
  });

  test('key every ServerErrorCode by its code without the SIO_ERR_ prefix', () => {
    for (const [key, code] of Object.entries(ServerErrorCode)) assert.equal(code, `SIO_ERR_${key}`);
  });

  test('are documented exactly in docs/errors.md, each with a cause and a remedy', () => {
    const markdown = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
    const match = /^## Socket\.IO server errors\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(markdown);
    assert.ok(match, 'docs/errors.md has a "## Socket.IO server errors" section');
    const rows = (match[1] ?? '')
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .map((line) => line.split(' | ').map((cell) => cell.replace(/^\| |\s\|$/g, '').trim()));
    for (const row of rows) {
      assert.equal(row.length, 3, `row ${row[0] ?? ''} has code, cause and remedy`);
    }
    assert.deepEqual(
      rows.map((row) => (row[0] ?? '').replaceAll('`', '')).sort(),
      Object.values(ServerErrorCode).sort(),
    );
  });
});
