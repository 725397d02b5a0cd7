// A mixed node:cluster: one worker runs socket.io 4.8 with @socket.io/cluster-adapter, the other ours with
// @switchboard/cluster-adapter, behind our primary (relay + sticky). Broadcasts, server-side emits with acks and
// fetchSockets cross both ways.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ClusterApp, connectClient, connected, waitForEvent, whoami, type AnyClientSocket } from './cluster-harness.js';

const WAIT_MS = 5000;

const CASES = [
  { official: { server: 'socket.io', adapter: 'socket.io' }, primary: 'switchboard' },
  { official: { server: 'switchboard', adapter: 'socket.io' }, primary: 'switchboard' },
  // socket.io's primary (setupPrimary relay + @socket.io/sticky) in front of the same mix.
  { official: { server: 'socket.io', adapter: 'socket.io' }, primary: 'socket.io' },
] as const;

for (const { official, primary } of CASES) {
  describe(`a mixed cluster behind ${primary === 'switchboard' ? 'our' : "socket.io's"} primary: worker 0 is ${official.server} + @socket.io/cluster-adapter, worker 1 ours`, () => {
    let app: ClusterApp;
    const sockets: AnyClientSocket[] = [];

    before(async () => {
      app = await ClusterApp.start({
        workers: [official, { server: 'switchboard', adapter: 'switchboard' }],
        primary,
        loadBalancingMethod: 'round-robin',
        // @socket.io/sticky's primary only pause()s a connection before handing it to a worker, so its handle keeps
        // reading until the worker acknowledges it, and what it reads meanwhile is dropped. Under load that is now
        // and then the client's first frame, the namespace CONNECT: the engine stays open and the CONNECT is never
        // answered (reproduced here: 5 of ~220 websocket connects under two CPU hogs, with socket.io-client and
        // ours alike; 0 of 400 behind our primary, which stops the handle reading first). The servers then close
        // such a connection after connectTimeout, 45 s by default, and the client reconnects: 10 s here, as a
        // deployment behind that primary should set it too.
        ...(primary === 'socket.io' ? { connectTimeout: 10_000 } : {}),
      });
      for (let i = 0; i < 4; i++) {
        const socket = connectClient(i % 2 === 0 ? 'switchboard' : 'socket.io-client', app.url, ['websocket']);
        sockets.push(socket);
        await connected(socket, WAIT_MS);
      }
    });

    after(async () => {
      for (const socket of sockets) socket.disconnect();
      await app.close();
    });

    test('the clients are spread over both workers and both count two servers', async () => {
      const workers = new Set((await Promise.all(sockets.map((s) => whoami(s)))).map((w) => w.worker));
      assert.deepEqual([...workers].sort(), [0, 1]);
      const deadline = Date.now() + WAIT_MS;
      while ((await app.call(0, 'serverCount')) !== 2 || (await app.call(1, 'serverCount')) !== 2) {
        assert.ok(Date.now() < deadline, 'both workers count two servers');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    });

    test('a broadcast from either worker reaches the clients of both', async () => {
      for (const from of [0, 1]) {
        const heard = sockets.map((s) => waitForEvent(s, `mixed-${from}`, WAIT_MS));
        await app.call(from, 'broadcast', `mixed-${from}`, { from }, Buffer.from([7, 8]));
        for (const args of await Promise.all(heard)) {
          assert.deepEqual(args[0], { from });
          assert.deepEqual([...new Uint8Array(args[1] as ArrayBuffer)], [7, 8]);
        }
      }
    });

    test("serverSideEmitWithAck and fetchSockets get the other worker's answer, both ways", async () => {
      assert.deepEqual(
        ((await app.call<{ worker: number }[]>(0, 'serverSideEmitWithAck', 'ping-worker')) ?? []).map((a) => a.worker),
        [1],
      );
      assert.deepEqual(
        ((await app.call<{ worker: number }[]>(1, 'serverSideEmitWithAck', 'ping-worker')) ?? []).map((a) => a.worker),
        [0],
      );
      for (const from of [0, 1]) {
        const fetched = await app.call<{ data: { worker: number } }[]>(from, 'fetchSockets');
        assert.equal(fetched.length, sockets.length);
        assert.deepEqual([...new Set(fetched.map((s) => s.data.worker))].sort(), [0, 1]);
      }
    });
  });
}
