import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Heartbeat, type Clock } from './heartbeat.js';

/** A clock whose time only moves when the test says so. */
function createFakeClock(): Clock & { advance(ms: number): void } {
  let now = 0;
  let timers: { at: number; callback: () => void; id: number }[] = [];
  let nextId = 1;
  return {
    setTimeout(callback, ms) {
      const id = nextId++;
      timers.push({ at: now + ms, callback, id });
      return id;
    },
    clearTimeout(id) {
      timers = timers.filter((timer) => timer.id !== id);
    },
    advance(ms) {
      now += ms;
      const due = timers.filter((timer) => timer.at <= now);
      timers = timers.filter((timer) => timer.at > now);
      for (const timer of due) timer.callback();
    },
  };
}

describe('Heartbeat', () => {
  it('fires once pingInterval + pingTimeout pass without a reset', () => {
    const clock = createFakeClock();
    let fired = 0;
    const heartbeat = new Heartbeat(() => fired++, clock);
    heartbeat.reset(100, 50, false);
    clock.advance(149);
    assert.equal(fired, 0);
    clock.advance(1);
    assert.equal(fired, 1);
  });

  it('restarts the deadline on every reset', () => {
    const clock = createFakeClock();
    let fired = 0;
    const heartbeat = new Heartbeat(() => fired++, clock);
    heartbeat.reset(100, 50, false);
    clock.advance(140);
    heartbeat.reset(100, 50, false);
    clock.advance(140);
    assert.equal(fired, 0);
    clock.advance(10);
    assert.equal(fired, 1);
  });

  it('never fires after stop()', () => {
    const clock = createFakeClock();
    let fired = 0;
    const heartbeat = new Heartbeat(() => fired++, clock);
    heartbeat.reset(10, 10, false);
    heartbeat.stop();
    clock.advance(1000);
    assert.equal(fired, 0);
  });

  it('unrefs the Node timer when asked so the process may exit', () => {
    const heartbeat = new Heartbeat(() => assert.fail('must not fire'));
    let unrefed = false;
    const clock: Clock = {
      setTimeout: () => ({ unref: () => (unrefed = true) }),
      clearTimeout: () => {},
    };
    new Heartbeat(() => {}, clock).reset(1, 1, true);
    heartbeat.stop();
    assert.equal(unrefed, true);
  });
});
