import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CodecError, isSwitchboardError } from '@switchboard/protocol';
import { EngineError, EngineErrorCode, HANDSHAKE_ERROR_MESSAGES, HandshakeErrorCode } from './errors.js';

function section(markdown: string, heading: string): string {
  const match = new RegExp(`^## ${heading}\\n([\\s\\S]*?)(?=^## |(?![\\s\\S]))`, 'm').exec(markdown);
  assert.ok(match, `docs/errors.md has a "## ${heading}" section`);
  return match[1] ?? '';
}

describe('engine errors', () => {
  it('are Switchboard errors with their code, message and cause', () => {
    const cause = new CodecError('CODEC_ERR_INVALID_PACKET', 'empty packet');
    const error = new EngineError(EngineErrorCode.PARSE_ERROR, 'bad frame', { cause });
    assert.ok(isSwitchboardError(error));
    assert.equal(error.code, 'EIO_ERR_PARSE_ERROR');
    assert.equal(error.name, 'EngineError');
    assert.equal(error.cause, cause);
  });

  it('key every EngineErrorCode by its code without the EIO_ERR_ prefix', () => {
    for (const [key, code] of Object.entries(EngineErrorCode)) assert.equal(code, `EIO_ERR_${key}`);
  });

  it('are documented exactly in docs/errors.md, each with a cause and a remedy', () => {
    const markdown = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
    const rows = section(markdown, 'Engine errors')
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
      Object.values(EngineErrorCode).sort(),
    );
  });

  it('document every numeric handshake code with the message the protocol spells', () => {
    const markdown = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
    const rows = section(markdown, 'Engine errors')
      .split('\n')
      .filter((line) => /^\| \d \|/.test(line))
      .map((line) =>
        line
          .split('|')
          .slice(1, 3)
          .map((cell) => cell.trim()),
      );
    assert.deepEqual(
      rows,
      Object.values(HandshakeErrorCode).map((code) => [String(code), HANDSHAKE_ERROR_MESSAGES[code]]),
    );
  });
});
