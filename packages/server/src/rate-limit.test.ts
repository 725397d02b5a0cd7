// Unit tests of the per-socket token bucket, on a manual clock.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ManualClock } from './manual-clock.fixture.js';
import { resolveRateLimit, TokenBucket } from './rate-limit.js';

describe('rate limit', () => {
  test('allows a burst, then packets at the refill rate', () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket(resolveRateLimit({ packets: 10, intervalMs: 1000, burst: 3 })!, clock);
    assert.deepEqual([bucket.take(), bucket.take(), bucket.take(), bucket.take()], [true, true, true, false]);
    clock.advance(99);
    assert.equal(bucket.take(), false, 'one token takes 100 ms to come back');
    clock.advance(1);
    assert.equal(bucket.take(), true);
    clock.advance(10_000);
    assert.deepEqual(
      [bucket.take(), bucket.take(), bucket.take(), bucket.take()],
      [true, true, true, false],
      'never more than the burst',
    );
  });

  test('defaults the burst to the packets per interval and the action to drop', () => {
    assert.deepEqual(resolveRateLimit({ packets: 50, intervalMs: 1000 }), {
      refillPerMs: 0.05,
      burst: 50,
      action: 'drop',
    });
    assert.equal(resolveRateLimit(undefined), undefined);
  });

  test('refuses unusable options naming them', () => {
    assert.throws(() => resolveRateLimit({ packets: 0, intervalMs: 1000 }), {
      code: 'SIO_ERR_INVALID_OPTION',
      message: /rateLimit\.packets/,
    });
    assert.throws(() => resolveRateLimit({ packets: 1, intervalMs: Infinity }), {
      code: 'SIO_ERR_INVALID_OPTION',
      message: /rateLimit\.intervalMs/,
    });
    assert.throws(() => resolveRateLimit({ packets: 1, intervalMs: 1, action: 'ban' as 'drop' }), {
      code: 'SIO_ERR_INVALID_OPTION',
      message: /rateLimit\.action/,
    });
  });
});
