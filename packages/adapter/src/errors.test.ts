// The adapter kit's error codes: Switchboard errors with stable codes, documented exactly in docs/errors.md.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { isSwitchboardError } from '@switchboard/protocol';
import { AdapterError, AdapterErrorCode } from './errors.js';

describe('adapter errors', () => {
  test('are Switchboard errors carrying their code, name and cause', () => {
    const cause = new Error('root');
    const error = new AdapterError(AdapterErrorCode.REQUEST_TIMEOUT, 'no answer', { cause });
    assert.ok(isSwitchboardError(error));
    assert.equal(error.code, 'ADAPTER_ERR_REQUEST_TIMEOUT');
    assert.equal(error.name, 'AdapterError');
    assert.equal(error.cause, cause);
  });

  test('key every AdapterErrorCode by its code without the ADAPTER_ERR_ prefix', () => {
    for (const [key, code] of Object.entries(AdapterErrorCode)) assert.equal(code, `ADAPTER_ERR_${key}`);
  });

  test('are documented exactly in docs/errors.md, each with a cause and a remedy', () => {
    const markdown = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
    const match = /^## Adapter errors\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(markdown);
    assert.ok(match, 'docs/errors.md has a "## Adapter errors" section');
    const rows = (match[1] ?? '')
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .map((line) => line.split(' | ').map((cell) => cell.replace(/^\| |\s\|$/g, '').trim()));
    for (const row of rows) assert.equal(row.length, 3, `row ${row[0] ?? ''} has code, cause and remedy`);
    assert.deepEqual(
      rows.map((row) => (row[0] ?? '').replaceAll('`', '')).sort(),
      Object.values(AdapterErrorCode).sort(),
    );
  });
});
