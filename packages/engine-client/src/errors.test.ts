import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { isSwitchboardError } from '@switchboard/protocol';
import { EngineClientErrorCode, TransportError } from './errors.js';

function section(markdown: string, heading: string): string {
  const match = new RegExp(`^## ${heading}\\n([\\s\\S]*?)(?=^## |(?![\\s\\S]))`, 'm').exec(markdown);
  if (!match) return assert.fail(`docs/errors.md has no "## ${heading}" section`);
  return match[1] ?? '';
}

describe('engine client errors', () => {
  it("are Switchboard errors that keep engine.io-client's shape", () => {
    const cause = new Error('ECONNREFUSED');
    const error = new TransportError('EIO_ERR_TRANSPORT', 'xhr poll error', cause, 'body');
    assert.ok(isSwitchboardError(error));
    assert.equal(error.code, 'EIO_ERR_TRANSPORT');
    assert.equal(error.name, 'TransportError');
    assert.equal(error.type, 'TransportError');
    assert.equal(error.description, cause);
    assert.equal(error.cause, cause);
    assert.equal(error.context, 'body');
  });

  it('key every EngineClientErrorCode by its code without the EIO_ERR_ prefix', () => {
    for (const [key, code] of Object.entries(EngineClientErrorCode)) assert.equal(code, `EIO_ERR_${key}`);
  });

  it('are documented exactly in docs/errors.md, each with a cause and a remedy', () => {
    const markdown = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
    const rows = section(markdown, 'Engine client errors')
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .map((line) =>
        line
          .split('|')
          .slice(1, -1)
          .map((cell) => cell.trim()),
      );
    for (const row of rows) {
      assert.equal(row.length, 3, `row ${row[0] ?? ''} has code, cause and remedy`);
      assert.ok((row[1] ?? '').length > 0 && (row[2] ?? '').length > 0, `row ${row[0] ?? ''} has a cause and a remedy`);
    }
    assert.deepEqual(
      rows.map((row) => (row[0] ?? '').replaceAll('`', '')).sort(),
      Object.values(EngineClientErrorCode).sort(),
    );
  });
});
