import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodePayload, type EnginePacket } from '@switchboard/protocol';
import { takeBatch } from './batch.js';

const message = (data: string | Uint8Array): EnginePacket => ({ type: 'message', data });

describe('takeBatch', () => {
  it('takes everything when there is no limit', () => {
    const buffer = [message('a'.repeat(100)), message('b'.repeat(100))];
    assert.equal(takeBatch(buffer, 0).length, 2);
  });

  it('stops before the packet that could overflow maxPayload, counting text at 3 bytes a character', () => {
    // Upper bound of '4aa' + '\\x1e' + '4bb': 1 + (2 + 6) + (2 + 6) = 17.
    assert.equal(takeBatch([message('aa'), message('bb')], 16).length, 1);
    assert.equal(takeBatch([message('aa'), message('bb')], 17).length, 2);
  });

  it('never takes more than fits: the real payload of a batch stays within maxPayload', () => {
    const buffer = ['€😀é', 'ascii', '日本語テキスト', '😀😀😀', 'x'].map(message);
    // Bounded sweep over limits; any batch of more than one packet must really fit.
    for (let limit = 10; limit <= 200; limit += 3) {
      const batch = takeBatch(buffer, limit);
      if (batch.length < 2) continue;
      const bytes = new TextEncoder().encode(encodePayload(batch)).length;
      assert.ok(bytes <= limit, `${batch.length} packets, ${bytes} bytes > ${limit}`);
    }
  });

  it('always takes the first packet, even when it alone is too large', () => {
    assert.equal(takeBatch([message('x'.repeat(50)), message('y')], 10).length, 1);
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
