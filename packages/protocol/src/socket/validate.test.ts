import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RESERVED_EVENTS, mayHoldHostileKeys } from './validate.js';

describe('validation helpers', () => {
  it('reserves exactly the six event names socket.io reserves', () => {
    assert.deepEqual(
      [...RESERVED_EVENTS].sort(),
      ['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener'],
    );
  });

  it('skips the key check only for JSON that cannot spell a hostile key', () => {
    assert.equal(mayHoldHostileKeys('["chat",{"text":"hello"}]'), false);
    assert.equal(mayHoldHostileKeys('{"__proto__":1}'), true);
    assert.equal(mayHoldHostileKeys('{"constructor":1}'), true);
    assert.equal(mayHoldHostileKeys('{"\\u0070rototype":1}'), true);
  });
});
