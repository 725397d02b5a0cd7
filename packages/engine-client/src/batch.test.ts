import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EnginePacket } from '@switchboard/protocol';
import { takeBatch } from './batch.js';

const message = (data: string | Uint8Array): EnginePacket => ({ type: 'message', data });

describe('takeBatch', () => {
  it('takes everything when there is no limit', () => {
    const buffer = [message('a'.repeat(100)), message('b'.repeat(100))];
    assert.equal(takeBatch(buffer, 0).length, 2);
  });

  it('stops before the packet that would overflow maxPayload', () => {
    // '4aaaa' + '\x1e' + '4bbbb' = 11 bytes; the limit of 10 keeps only the first.
    assert.equal(takeBatch([message('aaaa'), message('bbbb')], 10).length, 1);
    assert.equal(takeBatch([message('aaaa'), message('bbbb')], 13).length, 2);
  });

  it('always takes the first packet, even when it alone is too large', () => {
    assert.equal(takeBatch([message('x'.repeat(50)), message('y')], 10).length, 1);
  });

  it('counts text in UTF-8 bytes, surrogate pairs as four', () => {
    // '€' is 3 bytes, '😀' 4: 1 + (2 + 3) + (2 + 4) = 12.
    assert.equal(takeBatch([message('€'), message('😀')], 12).length, 2);
    assert.equal(takeBatch([message('€'), message('😀')], 11).length, 1);
  });

  it('counts binary as its base64 length', () => {
    // 3 bytes -> 4 base64 chars: 1 + (2 + 4) + (2 + 4) = 13.
    const bytes = new Uint8Array(3);
    assert.equal(takeBatch([message(bytes), message(bytes)], 13).length, 2);
    assert.equal(takeBatch([message(bytes), message(bytes)], 12).length, 1);
  });

  it('returns a copy, never the buffer itself', () => {
    const buffer = [message('a')];
    assert.notEqual(takeBatch(buffer, 0), buffer);
  });
});
