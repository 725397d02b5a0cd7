// The server's limit options: defaults stated once (LIMIT_DEFAULTS), documented in docs/errors.md, checked on input.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { LIMIT_DEFAULTS, resolveLimits } from './limits.js';

/** The rows of docs/errors.md's "## Limits" table: option name -> default cell. */
function documentedLimits(): Map<string, string> {
  const markdown = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
  const match = /^## Limits\n([\s\S]*?)(?=^## )/m.exec(markdown);
  assert.ok(match, 'docs/errors.md has a "## Limits" section');
  const rows = (match[1] ?? '').split('\n').filter((line) => line.startsWith('| `'));
  return new Map(
    rows.map((line) => {
      const [option, defaultValue] = line.split(' | ').map((cell) => cell.replace(/^\| |\s\|$/g, '').trim());
      return [(option ?? '').replaceAll('`', ''), defaultValue ?? ''];
    }),
  );
}

describe('server limits', () => {
  test('are documented in docs/errors.md with the defaults the server applies', () => {
    const documented = documentedLimits();
    assert.deepEqual([...documented.keys()].sort(), [...Object.keys(LIMIT_DEFAULTS), 'maxAttachmentBytes'].sort());
    for (const [option, value] of Object.entries(LIMIT_DEFAULTS)) {
      assert.equal(documented.get(option), String(value), `default of ${option}`);
    }
    assert.match(documented.get('maxAttachmentBytes') ?? '', /maxHttpBufferSize/);
  });

  test('default maxAttachmentBytes to the engine maxHttpBufferSize', () => {
    assert.equal(resolveLimits({}).maxAttachmentBytes, 1e6);
    assert.equal(resolveLimits({ maxHttpBufferSize: 5000 }).maxAttachmentBytes, 5000);
    assert.equal(resolveLimits({ maxHttpBufferSize: 5000, maxAttachmentBytes: 10 }).maxAttachmentBytes, 10);
  });

  test('accept Infinity as no limit and refuse negative or fractional values naming the option', () => {
    assert.equal(resolveLimits({ maxRoomsPerSocket: Infinity }).maxRoomsPerSocket, Infinity);
    assert.throws(() => resolveLimits({ maxPendingAcks: -1 }), {
      code: 'SIO_ERR_INVALID_OPTION',
      message: /maxPendingAcks/,
    });
    assert.throws(() => resolveLimits({ maxDepth: 1.5 }), { code: 'SIO_ERR_INVALID_OPTION', message: /maxDepth/ });
  });
});
