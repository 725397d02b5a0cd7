// The chat server's pure parts: input parsing and the send rate limiter, with a stepped clock.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TokenBucket } from '../../examples/chat/lib/rate-limit.mjs';
import { parseChannelName, parseId, parseMessageText, parseNickname } from '../../examples/chat/lib/validate.mjs';

describe('chat input parsing', () => {
  it('accepts nicknames in any script, trims them and collapses inner whitespace', () => {
    assert.equal(parseNickname('  Ada   Lovelace '), 'Ada Lovelace');
    assert.equal(parseNickname('Zoë'), 'Zoë');
    assert.equal(parseNickname('李雷'), '李雷');
    assert.equal(parseNickname('r2-d2_.x'), 'r2-d2_.x');
    assert.equal(parseNickname('a\nb'), 'a b');
  });

  it('refuses nicknames that are empty, too long, markup-like or not strings', () => {
    for (const value of ['', '   ', 'x'.repeat(25), '<b>', '-lead', 'a\u0000b', 42, null, ['Ada']]) {
      assert.equal(parseNickname(value), null, JSON.stringify(value));
    }
  });

  it('lower-cases channel names and drops a leading #', () => {
    assert.equal(parseChannelName('#Release-Train'), 'release-train');
    assert.equal(parseChannelName('ops_2'), 'ops_2');
  });

  it('refuses channel names with spaces, dots, slashes or more than 32 characters', () => {
    for (const value of ['a b', '../etc', 'a.b', '-x', 'x'.repeat(33), '', 7]) {
      assert.equal(parseChannelName(value), null, JSON.stringify(value));
    }
  });

  it('accepts URL-safe ids up to the limit only', () => {
    assert.equal(parseId('aZ09_-'), 'aZ09_-');
    assert.equal(parseId('x'.repeat(64)), 'x'.repeat(64));
    for (const value of ['x'.repeat(65), 'a/b', 'a b', '', 1])
      assert.equal(parseId(value), null, JSON.stringify(value));
  });

  it('keeps newlines and tabs in message text but strips other control characters', () => {
    assert.equal(parseMessageText('line one\n\tline two\u0007\u009b'), 'line one\n\tline two');
    assert.equal(parseMessageText('\u0000 '), null);
    assert.equal(parseMessageText('x'.repeat(2000))?.length, 2000);
    assert.equal(parseMessageText('x'.repeat(2001)), null);
  });
});

describe('send rate limiter', () => {
  it('allows a burst up to capacity, then says how long until the next token', () => {
    let nowMs = 0;
    const bucket = new TokenBucket({ capacity: 3, refillPerSecond: 2, now: () => nowMs });
    assert.deepEqual([bucket.take(), bucket.take(), bucket.take()], [0, 0, 0]);
    assert.equal(bucket.take(), 500);
    nowMs = 499;
    assert.equal(bucket.take(), 1);
    nowMs = 500;
    assert.equal(bucket.take(), 0);
  });

  it('never stores more than its capacity however long it idles', () => {
    let nowMs = 0;
    const bucket = new TokenBucket({ capacity: 2, refillPerSecond: 10, now: () => nowMs });
    nowMs = 60_000;
    assert.deepEqual([bucket.take(), bucket.take()], [0, 0]);
    assert.ok(bucket.take() > 0);
  });

  it('rejects a capacity below one or a refill rate of zero', () => {
    assert.throws(() => new TokenBucket({ capacity: 0, refillPerSecond: 1 }), RangeError);
    assert.throws(() => new TokenBucket({ capacity: 1, refillPerSecond: 0 }), RangeError);
  });
});
