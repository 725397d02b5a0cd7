// The admin login's rate limiter: free attempts, then doubling waits up to a ceiling, per address.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LoginLimiter } from './login-limiter.js';

function limiterAt(): { limiter: LoginLimiter; advance(ms: number): void } {
  let now = 1_000_000;
  const limiter = new LoginLimiter({ freeAttempts: 3, baseDelayMs: 1000, maxDelayMs: 8000 }, () => now);
  return { limiter, advance: (ms) => (now += ms) };
}

describe('LoginLimiter', () => {
  test('lets the free attempts through, then makes the address wait', () => {
    const { limiter } = limiterAt();
    assert.deepEqual([limiter.begin('a'), limiter.begin('a'), limiter.begin('a')], [0, 0, 0]);
    assert.equal(limiter.begin('a'), 1000);
  });

  test('doubles the wait with every further attempt, up to maxDelayMs', () => {
    const { limiter, advance } = limiterAt();
    for (let i = 0; i < 3; i++) limiter.begin('a');
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      const wait = limiter.begin('a');
      waits.push(wait);
      advance(wait);
      assert.equal(limiter.begin('a'), 0);
    }
    assert.deepEqual(waits, [1000, 2000, 4000, 8000, 8000]);
  });

  test('counts each address on its own', () => {
    const { limiter } = limiterAt();
    for (let i = 0; i < 3; i++) limiter.begin('a');
    assert.equal(limiter.begin('b'), 0);
    assert.ok(limiter.begin('a') > 0);
  });

  test('starts an address afresh after a successful login', () => {
    const { limiter } = limiterAt();
    for (let i = 0; i < 3; i++) limiter.begin('a');
    limiter.succeeded('a');
    assert.deepEqual([limiter.begin('a'), limiter.begin('a')], [0, 0]);
  });

  test('forgets an address that stayed quiet for longer than its wait plus maxDelayMs', () => {
    const { limiter, advance } = limiterAt();
    for (let i = 0; i < 3; i++) limiter.begin('a');
    advance(1000 + 8000 + 1);
    assert.deepEqual([limiter.begin('a'), limiter.begin('a')], [0, 0]);
  });

  test('remembers at most 10000 addresses, forgetting the least recently seen', () => {
    const { limiter } = limiterAt();
    for (let i = 0; i < 10_050; i++) limiter.begin(`10.0.${i >> 8}.${i & 255}`);
    assert.equal(limiter.size, 10_000);
  });
});
