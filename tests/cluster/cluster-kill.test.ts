// A worker killed with SIGKILL under node:cluster: a request waiting on it ends with ADAPTER_ERR_REQUEST_TIMEOUT,
// serverCount drops, the primary forks a replacement, the other worker keeps serving, and the dead worker's clients
// reconnect to a live one through the sticky router.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AppCommandError,
  ClusterApp,
  connectClient,
  connected,
  waitForEvent,
  whoami,
  type AnyClientSocket,
} from './cluster-harness.js';

const WAIT_MS = 5000;
const REQUESTS_TIMEOUT_MS = 1000;

/** Retries `check` until it holds, failing after `ms`. */
async function eventually(what: string, ms: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('a node:cluster worker killed with SIGKILL (ours: cluster-adapter + sticky)', () => {
  let app: ClusterApp;
  const sockets: AnyClientSocket[] = [];

  before(async () => {
    app = await ClusterApp.start({ requestsTimeout: REQUESTS_TIMEOUT_MS, heartbeatTimeout: 1500, respawn: true });
    for (const kind of ['switchboard', 'socket.io-client', 'switchboard', 'socket.io-client'] as const) {
      const socket = connectClient(kind, app.url, kind === 'switchboard' ? ['polling'] : ['websocket']);
      sockets.push(socket);
      await connected(socket, WAIT_MS);
    }
    await eventually(
      'both workers see each other',
      WAIT_MS,
      async () => (await app.call(0, 'serverCount')) === 2 && (await app.call(1, 'serverCount')) === 2,
    );
  });

  after(async () => {
    for (const socket of sockets) socket.disconnect();
    await app.close();
  });

  test('the request waiting on it fails with ADAPTER_ERR_REQUEST_TIMEOUT, the survivor serves, a replacement joins, its clients reconnect', async () => {
    const placement = await Promise.all(sockets.map((s) => whoami(s)));
    const victims = sockets.filter((_s, i) => placement[i]?.worker === 1);
    assert.ok(victims.length > 0, 'worker 1 has clients');

    const heard = app.next('hang-heard', (m) => m.worker === 1, WAIT_MS);
    const request = app.call(0, 'serverSideEmitWithAck', 'hang').then(
      () => undefined,
      (err: unknown) => err,
    );
    await heard;
    // A victim may reconnect only once the replacement worker is up: a cold tsx start took over 15 s on CI, and a
    // fresh-clone run on 2026-12-06 passed 30 s once (a victim's reconnection timing out and retrying meanwhile).
    const reconnects = victims.map((s) => waitForEvent(s, 'connect', 60_000));
    // The replacement takes commands once it says so: one sent earlier is dropped and its call waits 8 s for nothing
    // (half of the runs under two CPU hogs spent 9.1 s instead of 1.5 s before serverCount read 2 again).
    const respawned = app.next('worker-ready', (m) => m.worker === 1, 60_000);
    await app.call(1, 'kill');

    const failure = await request;
    assert.ok(failure instanceof AppCommandError, 'the request failed');
    assert.equal(failure.code, 'ADAPTER_ERR_REQUEST_TIMEOUT');
    assert.ok(failure.elapsedMs >= REQUESTS_TIMEOUT_MS - 20, `failed after ${failure.elapsedMs} ms`);

    // The survivor keeps serving its own clients meanwhile.
    const survivors = sockets.filter((_s, i) => placement[i]?.worker === 0);
    const news = survivors.map((s) => waitForEvent(s, 'still-here', WAIT_MS));
    await app.call(0, 'broadcast', 'still-here');
    await Promise.all(news);

    await Promise.all(reconnects);
    for (const socket of victims) assert.notEqual((await whoami(socket)).pid, placement[sockets.indexOf(socket)]?.pid);

    // The replacement (worker 1 again, a new process) joins: serverCount goes back to 2, broadcasts reach everyone.
    // The new process compiles the app through tsx before it joins: past 10 s with both cores busy.
    await respawned;
    await eventually(
      'serverCount is 2 again on both workers',
      30_000,
      async () => (await app.call(0, 'serverCount')) === 2 && (await app.call(1, 'serverCount')) === 2,
    );
    const everyone = sockets.map((s) => waitForEvent(s, 'after-respawn', WAIT_MS));
    await app.call(1, 'broadcast', 'after-respawn');
    await Promise.all(everyone);
  });
});
