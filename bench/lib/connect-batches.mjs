// @ts-check
// Batches of connects against one server process, shared by the connect scenario and bench/connect-curve.mjs.
import { assertConnected, waitUntil } from './trial.mjs';

/**
 * @param {import('./ipc.mjs').Worker} server
 * @param {import('./ipc.mjs').Worker} load
 * @param {{ concurrency: number, transports: string, waitUpgrade: boolean, timeoutMs: number }} connectArgs
 * @param {number} batch connections per batch
 */
export function connectBatches(server, load, connectArgs, batch) {
  /** Closes the load side's connections and waits until the server has torn down every one of them. */
  const closeAll = async () => {
    await load.request('close');
    // Not only gone from the namespace: their TCP teardown must not run inside the next measured window.
    if (!(await waitUntil(async () => (await server.request('tcp')) === 0, 30_000))) {
      throw new Error(`the server still holds ${await server.request('tcp')} TCP connections`);
    }
  };
  /** Opens `n` connections unmeasured, at most `batch` at a time like the measured batches, closing each batch. */
  const unmeasured = async (/** @type {number} */ n) => {
    for (let left = n; left > 0; left -= batch) {
      const size = Math.min(batch, left);
      assertConnected([await load.request('connect', { ...connectArgs, n: size }, 300_000)], size);
      await closeAll();
    }
  };
  /**
   * Opens `batch` connections between the server's CPU markers (and leaves them open).
   * @returns {Promise<{ rate: number, cpu: number }>} connections per second and server CPU per connect in µs
   */
  const measured = async () => {
    await server.request('cpu-start');
    const result = await load.request('connect', { ...connectArgs, n: batch }, 300_000);
    // The server finishes its side of the last handshakes after the client saw them complete.
    await waitUntil(async () => (await server.request('count')) >= batch, 10_000);
    const cpu = await server.request('cpu-stop');
    assertConnected([result], batch);
    return { rate: (batch * 1000) / result.wallMs, cpu: cpu.cpuMicros / batch };
  };
  return { closeAll, unmeasured, measured };
}
