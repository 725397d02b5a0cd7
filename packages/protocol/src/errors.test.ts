import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CodecError, CodecErrorCode, SwitchboardError, isSwitchboardError, nameErrorClass } from './errors.js';

describe('errors', () => {
  it('gives a SwitchboardError its code, message, name and cause', () => {
    const cause = new Error('root');
    const error = new SwitchboardError('EIO_ERR_EXAMPLE', 'went wrong', { cause });
    assert.equal(error.code, 'EIO_ERR_EXAMPLE');
    assert.equal(error.message, 'went wrong');
    assert.equal(error.name, 'SwitchboardError');
    assert.equal(error.cause, cause);
    assert.ok(error instanceof Error);
  });

  it('names a CodecError after its class and keeps it a SwitchboardError', () => {
    const error = new CodecError(CodecErrorCode.INVALID_JSON, 'bad');
    assert.equal(error.name, 'CodecError');
    assert.ok(error instanceof SwitchboardError);
    assert.ok(isSwitchboardError(error));
  });

  it('names a subclass after its class unless it was named with nameErrorClass', () => {
    class EngineError extends SwitchboardError {}
    assert.equal(new EngineError('EIO_ERR_X', 'x').name, 'EngineError');
    const Mangled = class e extends SwitchboardError {};
    nameErrorClass(Mangled, 'TransportError');
    assert.equal(new Mangled('EIO_ERR_X', 'x').name, 'TransportError');
    assert.equal(String(new Mangled('EIO_ERR_X', 'boom')), 'TransportError: boom');
  });

  it('recognises an error branded by another copy of the package', () => {
    const foreign = Object.assign(new Error('x'), { code: 'SIO_ERR_X', [Symbol.for('switchboard.error')]: true });
    assert.ok(isSwitchboardError(foreign));
  });

  it('does not recognise plain errors or values with only a code', () => {
    assert.equal(isSwitchboardError(new Error('x')), false);
    assert.equal(isSwitchboardError({ code: 'CODEC_ERR_INVALID_JSON' }), false);
    assert.equal(isSwitchboardError(null), false);
    assert.equal(isSwitchboardError('CODEC_ERR_INVALID_JSON'), false);
  });

  it('keys every CodecErrorCode by its code without the CODEC_ERR_ prefix', () => {
    for (const [key, code] of Object.entries(CodecErrorCode)) assert.equal(code, `CODEC_ERR_${key}`);
  });

  it('documents exactly the CodecErrorCode values in docs/errors.md, each with a cause and a remedy', () => {
    const markdown = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
    const section = /^## Codec errors\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(markdown);
    assert.ok(section, 'docs/errors.md has a "## Codec errors" section');
    const rows = (section[1] ?? '')
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
    const documented = rows.map((row) => (row[0] ?? '').replaceAll('`', '')).sort();
    assert.deepEqual(documented, Object.values(CodecErrorCode).sort());
  });
});
