import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CodecError, CodecErrorCode } from '../errors.js';
import { decodeBase64, encodeBase64 } from './base64.js';

describe('base64', () => {
  it('encodes the RFC 4648 test vectors', () => {
    const vectors: Array<[string, string]> = [
      ['', ''],
      ['f', 'Zg=='],
      ['fo', 'Zm8='],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg=='],
      ['fooba', 'Zm9vYmE='],
      ['foobar', 'Zm9vYmFy'],
    ];
    for (const [plain, encoded] of vectors) {
      assert.equal(encodeBase64(new TextEncoder().encode(plain)), encoded);
      assert.deepEqual(decodeBase64(encoded), new TextEncoder().encode(plain));
    }
  });

  it('encodes bytes 01 02 03 as AQID', () => {
    assert.equal(encodeBase64(Uint8Array.of(1, 2, 3)), 'AQID');
  });

  it('decodes base64 without padding', () => {
    assert.deepEqual(decodeBase64('Zm8'), new TextEncoder().encode('fo'));
  });

  it('rejects a character outside the alphabet with CODEC_ERR_INVALID_BASE64', () => {
    const result = decodeBase64('AQ!D');
    assert.ok(result instanceof CodecError);
    assert.equal(result.code, CodecErrorCode.INVALID_BASE64);
    assert.equal(result.message, 'invalid base64 character');
  });

  it('rejects padding in the middle with CODEC_ERR_INVALID_BASE64', () => {
    const result = decodeBase64('AQ==AQID');
    assert.ok(result instanceof CodecError);
    assert.equal(result.code, CodecErrorCode.INVALID_BASE64);
  });

  it('rejects a length that leaves a single character with CODEC_ERR_INVALID_BASE64', () => {
    const result = decodeBase64('AQIDA');
    assert.ok(result instanceof CodecError);
    assert.equal(result.code, CodecErrorCode.INVALID_BASE64);
    assert.equal(result.message, 'invalid base64 length');
  });

  it('rejects padding that leaves a length not a multiple of four with CODEC_ERR_INVALID_BASE64', () => {
    const result = decodeBase64('AQI==');
    assert.ok(result instanceof CodecError);
    assert.equal(result.code, CodecErrorCode.INVALID_BASE64);
  });

  it('rejects a value that is not a string with CODEC_ERR_INVALID_BASE64', () => {
    const result = decodeBase64(undefined as unknown as string);
    assert.ok(result instanceof CodecError);
    assert.equal(result.code, CodecErrorCode.INVALID_BASE64);
    assert.equal(result.message, 'not a string: undefined');
  });

  it('agrees with Node Buffer on random bytes, both ways', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const encoded = encodeBase64(bytes);
        assert.equal(encoded, Buffer.from(bytes).toString('base64'));
        assert.deepEqual(decodeBase64(encoded), bytes);
      }),
      { numRuns: 300 },
    );
  });

  it('encodes large inputs exactly as Buffer does', () => {
    const bytes = new Uint8Array(20_000).map((_, i) => i * 7);
    assert.equal(encodeBase64(bytes), Buffer.from(bytes).toString('base64'));
  });

  it('never throws on random text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        const result = decodeBase64(text);
        assert.ok(result instanceof Uint8Array || result.code === CodecErrorCode.INVALID_BASE64);
      }),
      { numRuns: 300 },
    );
  });
});
