import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Clock } from './clock.js';
import { TimerWheel } from './timer-wheel.js';
import type { WheelEntry } from './timer-wheel.js';

/** A clock whose time only moves when the test says so; the wheel's interval is recorded, never run. */
function manualClock(): Clock & { advance(ms: number): void; intervals: number } {
  let now = 0;
  return {
    intervals: 0,
    now: () => now,
    setInterval() {
      this.intervals++;
      return this.intervals;
    },
    clearInterval() {
      this.intervals--;
    },
    advance(ms: number) {
      now += ms;
    },
  };
}

function entry(log: string[], name: string): WheelEntry {
  return { wheelTick: -1, onWheelTimeout: () => log.push(name) };
}

describe('TimerWheel', () => {
  it('keeps pending deadlines, never early, when its tick changes', () => {
    const clock = manualClock();
    const wheel = new TimerWheel(clock, 1000);
    const log: string[] = [];
    wheel.schedule(entry(log, 'a'), 2500);
    wheel.setTickMs(10);
    assert.equal(wheel.tickMs, 10);
    clock.advance(2990);
    wheel.sweep();
    assert.deepEqual(log, []);
    clock.advance(10);
    wheel.sweep();
    assert.deepEqual(log, ['a']);
  });

  it('fires a deadline once its time has passed, never before', () => {
    const clock = manualClock();
    const wheel = new TimerWheel(clock, 10);
    const log: string[] = [];
    wheel.schedule(entry(log, 'a'), 25);
    clock.advance(20);
    wheel.sweep();
    assert.deepEqual(log, []);
    clock.advance(10);
    wheel.sweep();
    assert.deepEqual(log, ['a']);
    wheel.sweep();
    assert.deepEqual(log, ['a']);
  });

  it('fires deadlines in time order when one sweep covers several ticks', () => {
    const clock = manualClock();
    const wheel = new TimerWheel(clock, 10);
    const log: string[] = [];
    wheel.schedule(entry(log, 'late'), 50);
    wheel.schedule(entry(log, 'early'), 10);
    clock.advance(100);
    wheel.sweep();
    assert.deepEqual(log, ['early', 'late']);
  });

  it('replaces the previous deadline when an entry is rescheduled', () => {
    const clock = manualClock();
    const wheel = new TimerWheel(clock, 10);
    const log: string[] = [];
    const a = entry(log, 'a');
    wheel.schedule(a, 10);
    wheel.schedule(a, 100);
    assert.equal(wheel.size, 1);
    clock.advance(50);
    wheel.sweep();
    assert.deepEqual(log, []);
  });

  it('does not fire a cancelled entry, even when another entry of its bucket cancels it', () => {
    const clock = manualClock();
    const wheel = new TimerWheel(clock, 10);
    const log: string[] = [];
    const victim = entry(log, 'victim');
    const killer: WheelEntry = { wheelTick: -1, onWheelTimeout: () => wheel.cancel(victim) };
    wheel.schedule(killer, 10);
    wheel.schedule(victim, 10);
    clock.advance(10);
    wheel.sweep();
    assert.deepEqual(log, []);
  });

  it('runs its interval only while deadlines are pending', () => {
    const clock = manualClock();
    const wheel = new TimerWheel(clock, 10);
    const log: string[] = [];
    assert.equal(clock.intervals, 0);
    wheel.schedule(entry(log, 'a'), 10);
    wheel.schedule(entry(log, 'b'), 10);
    assert.equal(clock.intervals, 1);
    clock.advance(10);
    wheel.sweep();
    assert.equal(clock.intervals, 0);
  });

  it('walks only existing buckets after a long stall', () => {
    const clock = manualClock();
    const wheel = new TimerWheel(clock, 1);
    const log: string[] = [];
    wheel.schedule(entry(log, 'a'), 5);
    clock.advance(1e9);
    wheel.sweep();
    assert.deepEqual(log, ['a']);
  });
});
