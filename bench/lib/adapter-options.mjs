// @ts-check
// Knobs of our adapters that a bench run may switch from the environment, for A/B runs of one scenario.

/**
 * `deliverAfterPublish` for our adapters: SB_BENCH_DELIVER_AFTER_PUBLISH=1 or 0 sets it, unset keeps each adapter's
 * default (true for Redis pub/sub, Redis Streams and PostgreSQL since 42b7921; false is socket.io's immediate
 * delivery).
 * @returns {{ deliverAfterPublish?: boolean }}
 */
export function deliverAfterPublishOption() {
  const value = process.env['SB_BENCH_DELIVER_AFTER_PUBLISH'];
  if (value === '1') return { deliverAfterPublish: true };
  if (value === '0') return { deliverAfterPublish: false };
  return {};
}
