// Short form of bench/soak/no-loss.mjs: acknowledged messages survive random transport kills and a server restart.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { countTicks, runNoLoss, type NoLossResult } from '../../bench/soak/no-loss.mjs';

describe('soak: no loss under transport faults and a server restart', () => {
  let result: NoLossResult;
  before(async () => {
    result = await runNoLoss({
      clients: 12,
      messagesPerClient: 20,
      // 20 messages 50 ms apart: sending lasts 1 s at least, so the restart at 300 ms falls inside it on any machine.
      sendEveryMs: 50,
      faultEveryMs: 100,
      serverKillsPerFault: 2,
      clientClosesPerFault: 1,
      restartAfterMs: 300,
      deadlineMs: 45_000,
    });
  });

  it('settles every message before the deadline, across one restart', () => {
    assert.equal(result.finished, true, JSON.stringify(result));
    assert.equal(result.restarted, true);
  });

  it('gets an acknowledgement for every message (retries outlast the faults)', () => {
    assert.equal(result.acknowledged, 12 * 20, JSON.stringify(result));
  });

  it('loses no acknowledged message', () => {
    assert.equal(result.lost, 0, JSON.stringify(result));
  });

  it('delivers each client first copies in the order they were emitted', () => {
    assert.equal(result.outOfOrder, 0, JSON.stringify(result));
  });

  it('replays every broadcast a recovered session missed, once', () => {
    assert.ok(result.ticksReceived > 0);
    assert.equal(result.ticksMissed, 0, JSON.stringify(result));
    assert.equal(result.ticksRepeated, 0, JSON.stringify(result));
  });

  it('really faulted: transports were killed and sessions were recovered', () => {
    assert.ok(result.serverKills > 0 && result.reconnects > 0 && result.recovered > 0, JSON.stringify(result));
  });
});

describe('soak: counting broadcast ticks', () => {
  it('counts gaps within a session and across recovered reconnections only', () => {
    // -1 marks a new session (gaps before it are expected), -2 a recovered one (gaps across it are missed ticks).
    assert.deepEqual(countTicks([-1, 0, 1, -2, 2, 4, -1, 9, 10]), { missed: 1, repeated: 0, received: 6 });
  });

  it('counts a tick seen again or going backwards as repeated', () => {
    assert.deepEqual(countTicks([-1, 5, 6, -2, 6, 7, 3]), { missed: 0, repeated: 2, received: 5 });
  });
});
