// Stream routing under streamCount, as golden vectors: the names @socket.io/redis-streams-adapter 0.3 computes.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
// The official adapter's own hash (no exports map hides it): the reference these names must match.
import { hashCode as officialHashCode } from '@socket.io/redis-streams-adapter/dist/util.js';
import { hashNamespace, streamNameOf } from './stream-routing.js';

describe('stream routing', () => {
  test('uses streamName itself when there is one stream', () => {
    assert.equal(streamNameOf('/chat', 'socket.io', 1), 'socket.io');
  });

  test('hashes a namespace as h * 31 + code unit wrapped to int32, as the official adapter does', () => {
    assert.equal(hashNamespace('/'), 47);
    assert.equal(hashNamespace('/chat'), 46457863);
    assert.equal(hashNamespace('/notifications'), -1014064871);
  });

  test('agrees with the official adapter on 2,000 random namespace names', () => {
    for (let i = 0; i < 2000; i++) {
      const name = `/${randomBytes(1 + (i % 40)).toString('base64')}`;
      assert.equal(hashNamespace(name), officialHashCode(name), name);
    }
  });

  test('routes a namespace to `${streamName}-${hash % streamCount}`', () => {
    assert.equal(streamNameOf('/', 'socket.io', 3), 'socket.io-2');
    assert.equal(streamNameOf('/chat', 'socket.io', 4), 'socket.io-3');
  });

  test('keeps the sign of a negative hash as the official adapter does, so both write the same stream', () => {
    assert.equal(streamNameOf('/notifications', 'socket.io', 3), 'socket.io--2');
  });
});
