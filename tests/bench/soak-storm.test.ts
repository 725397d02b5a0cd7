// Short form of bench/soak/storm.mjs: clients come back within their back-off window after a server restart.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { runStorm } from '../../bench/soak/storm.mjs';

describe('soak: reconnect storm after a server restart', () => {
  let result: Awaited<ReturnType<typeof runStorm>>;
  before(async () => {
    result = await runStorm({
      clients: 60,
      processes: 2,
      reconnectionDelay: 100,
      reconnectionDelayMax: 500,
      randomizationFactor: 0.5,
      // Generous: a loaded 2-core machine starts the server from TypeScript sources and runs three processes.
      slackMs: 15_000,
      bucketMs: 100,
    });
  });

  it('brings every client back within reconnectionDelayMax (plus slack) of the server being ready', () => {
    assert.equal(result.notBack, 0, JSON.stringify(result));
    assert.equal(result.withinWindow, true, JSON.stringify(result));
  });

  it('keeps answering a probe client during the storm', () => {
    assert.equal(result.probe.errors, 0, JSON.stringify(result.probe));
    assert.ok(result.probe.roundTrips > 0);
  });

  it('spreads first reconnection attempts (randomizationFactor) rather than firing them together', () => {
    // With 0.5 the first delay is uniform in 50..150 ms: the fastest and slowest tenth differ, whatever the load.
    assert.ok(
      result.firstAttemptDelay.p90 - result.firstAttemptDelay.p10 >= 20,
      JSON.stringify(result.firstAttemptDelay),
    );
  });
});
