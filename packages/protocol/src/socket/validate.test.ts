import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { RESERVED_EVENTS, mayHoldHostileKeys, mayNestDeeperThan } from './validate.js';

describe('validation helpers', () => {
  it('reserves exactly the six event names socket.io reserves', () => {
    assert.deepEqual([...RESERVED_EVENTS].sort(), [
      'connect',
      'connect_error',
      'disconnect',
      'disconnecting',
      'newListener',
      'removeListener',
    ]);
  });

  it('skips the key check only for JSON that cannot spell a hostile key', () => {
    assert.equal(mayHoldHostileKeys('["chat",{"text":"hello"}]'), false);
    assert.equal(mayHoldHostileKeys('{"__proto__":1}'), true);
    assert.equal(mayHoldHostileKeys('{"constructor":1}'), false, 'a constructor without a prototype is harmless');
    assert.equal(mayHoldHostileKeys('{"constructor":{"prototype":1}}'), true);
    assert.equal(mayHoldHostileKeys('{"\\u0070rototype":1}'), true);
  });

  it('skips the depth walk only for JSON that cannot nest deeper than the limit', () => {
    assert.equal(mayNestDeeperThan('["echo",{"user":"bench","n":42}]', 32), false, 'short text');
    assert.equal(mayNestDeeperThan(`["ev",${'1,'.repeat(100)}{"a":[1]}]`, 2), true, 'three levels against 2');
    assert.equal(mayNestDeeperThan(`["ev",${'1,'.repeat(100)}{"a":1}]`, 2), false, 'two levels against 2');
    assert.equal(mayNestDeeperThan(`["${'['.repeat(70)}"]`, 32), true, 'brackets in a string count: cautious');
  });

  it('never skips the depth walk for JSON deeper than the limit (property)', () => {
    const depthOf = (value: unknown): number =>
      typeof value !== 'object' || value === null
        ? 0
        : 1 + Math.max(0, ...(Array.isArray(value) ? value : Object.values(value)).map(depthOf));
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 8 }), (value, limit) => {
        if (!mayNestDeeperThan(JSON.stringify(value), limit)) assert.ok(depthOf(value) <= limit);
      }),
      { numRuns: 500 },
    );
  });
});
