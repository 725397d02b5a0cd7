import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeUtf8, encodeUtf8, utf8Length } from './utf8.js';

/** Graphemes of every plane plus lone surrogates ('binary' units are slow to generate). */
const anyUnit = fc.oneof(
  fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff'),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
);

describe('utf8', () => {
  it('encodes one, two, three and four byte characters', () => {
    assert.deepEqual(Buffer.from(encodeUtf8('aé€😀')).toString('hex'), '61c3a9e282acf09f9880');
  });

  it('encodes a lone surrogate as U+FFFD like TextEncoder', () => {
    assert.deepEqual(encodeUtf8('\ud800x'), new TextEncoder().encode('\ud800x'));
  });

  it('agrees with TextEncoder on random strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: anyUnit, maxLength: 80 }), (text) => {
        const expected = new TextEncoder().encode(text);
        assert.equal(Buffer.from(encodeUtf8(text)).toString('hex'), Buffer.from(expected).toString('hex'));
        assert.equal(utf8Length(text), expected.length);
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with TextDecoder on random bytes, malformed sequences included', () => {
    const decoder = new TextDecoder();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        assert.equal(decodeUtf8(bytes), decoder.decode(bytes));
      }),
      { numRuns: 400 },
    );
  });

  it('decodes texts longer than one internal chunk', () => {
    const text = 'é'.repeat(10_000);
    assert.equal(decodeUtf8(encodeUtf8(text)), text);
  });
});
