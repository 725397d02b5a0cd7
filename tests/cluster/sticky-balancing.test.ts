// Each load-balancing method of the sticky router on a real node:cluster with two workers: new WebSocket clients of
// both libraries are spread as the method says, and every client stays on its worker.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ClusterApp, connectClient, connected, whoami, type AnyClientSocket } from './cluster-harness.js';

const WAIT_MS = 5000;
const CLIENTS = 8;

for (const method of ['round-robin', 'random', 'least-connection'] as const) {
  describe(`loadBalancingMethod '${method}'`, () => {
    test(`spreads ${CLIENTS} new clients over the two workers as '${method}' does`, async () => {
      const app = await ClusterApp.start({ loadBalancingMethod: method });
      const sockets: AnyClientSocket[] = [];
      try {
        for (let i = 0; i < CLIENTS; i++) {
          const socket = connectClient(
            i % 2 === 0 ? 'switchboard' : 'socket.io-client',
            app.url,
            i % 4 < 2 ? ['websocket'] : ['polling'],
          );
          sockets.push(socket);
          await connected(socket, WAIT_MS);
          await whoami(socket); // the session is announced before the next client arrives
        }
        const perWorker = [0, 0];
        for (const socket of sockets) perWorker[(await whoami(socket)).worker]! += 1;
        if (method === 'random') {
          assert.equal((perWorker[0] ?? 0) + (perWorker[1] ?? 0), CLIENTS);
        } else {
          // Sequential arrivals: both alternate strictly, so the split is even.
          assert.deepEqual(perWorker, [CLIENTS / 2, CLIENTS / 2]);
        }
        const counts = await app.call<Record<string, number>>(0, 'sessionCounts');
        assert.deepEqual(Object.values(counts).sort(), [...perWorker].sort());
      } finally {
        for (const socket of sockets) socket.disconnect();
        await app.close();
      }
    });
  });
}
