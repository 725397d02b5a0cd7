// @ts-check
// Knobs of our adapters that a bench run may switch from the environment, for A/B runs of one scenario.

/**
 * Local-delivery options for our adapters. SB_BENCH_DELIVER_AFTER_PUBLISH=1 or 0 sets `deliverAfterPublish` (unset:
 * each adapter's default, true for Redis pub/sub, Redis Streams and PostgreSQL since 42b7921; false is socket.io's
 * immediate delivery). SB_BENCH_LOCAL_BATCH_MS=<ms> sets `localBatchMs` (unset: the default, 3; 0 releases each
 * local delivery as soon as its publish is answered, as before it existed).
 * @returns {{ deliverAfterPublish?: boolean, localBatchMs?: number }}
 */
export function localDeliveryOptions() {
  /** @type {{ deliverAfterPublish?: boolean, localBatchMs?: number }} */
  const options = {};
  const value = process.env['SB_BENCH_DELIVER_AFTER_PUBLISH'];
  if (value === '1') options.deliverAfterPublish = true;
  if (value === '0') options.deliverAfterPublish = false;
  const batch = process.env['SB_BENCH_LOCAL_BATCH_MS'];
  if (batch !== undefined && batch !== '') options.localBatchMs = Number(batch);
  return options;
}
