// Socket pages over several servers: slices planned in serverId order, merged into one page with the global total.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { Server, type Namespace } from '@switchboard/server';
import { ActivityLog } from './activity-log.js';
import { answerClusterRequests, clusterSocketsPage, planSlices } from './cluster-pages.js';
import { OverviewBuilder } from './overview.js';
import { TrafficMeter } from './traffic-meter.js';

test('a window spanning two servers takes the end of the first and the start of the second', () => {
  const totals = [
    { serverId: 'b', total: 10 },
    { serverId: 'a', total: 7 },
  ];
  assert.deepEqual(planSlices(totals, 5, 4), [
    { serverId: 'a', offset: 5, limit: 2 },
    { serverId: 'b', offset: 0, limit: 2 },
  ]);
});

test('a window inside one server, or past every socket, plans accordingly', () => {
  const totals = [
    { serverId: 'a', total: 7 },
    { serverId: 'b', total: 10 },
  ];
  assert.deepEqual(planSlices(totals, 8, 3), [{ serverId: 'b', offset: 1, limit: 3 }]);
  assert.deepEqual(planSlices(totals, 40, 3), []);
});

describe('a page over two servers', () => {
  const servers: Server[] = [];
  const clients: ClientSocket[] = [];
  const builders: OverviewBuilder[] = [];

  before(async () => {
    for (const [serverId, count] of [
      ['a', 3],
      ['b', 4],
    ] as const) {
      const http = createServer();
      const io = new Server(http);
      servers.push(io);
      io.of('/admin');
      builders.push(new OverviewBuilder(io, serverId, '/admin', new TrafficMeter(), new ActivityLog(false)));
      await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
      for (let i = 0; i < count; i++) {
        const client = connect(url, { transports: ['websocket'], forceNew: true, reconnection: false });
        clients.push(client);
        await new Promise((resolve) => client.once('connect', () => resolve(undefined)));
      }
    }
  });
  after(async () => {
    for (const client of clients) client.disconnect();
    for (const io of servers) await io.close();
  });

  test('merges the slices of both servers and counts every socket', async () => {
    const [serverA, serverB] = servers;
    const [builderA, builderB] = builders;
    assert.ok(serverA && serverB && builderA && builderB);
    const adminB = serverB.of('/admin');
    answerClusterRequests(adminB, builderB, 'b');
    // Server a's view of the cluster: its serverSideEmit reaches server b's admin namespace, as an adapter would.
    const adminA = {
      serverSideEmitWithAck: (event: string, ...args: unknown[]) =>
        new Promise((resolve) => {
          for (const listener of adminB.listeners(event))
            (listener as (...values: unknown[]) => void)(...args, (answer: unknown) => resolve([answer]));
        }),
    } as unknown as Namespace;
    const page = await clusterSocketsPage(adminA, builderA, 'a', { nsp: '/', offset: 2, limit: 3 });
    assert.equal(page.total, 7);
    assert.equal(page.servers, 2);
    const idsA = [...serverA.of('/').sockets.keys()];
    const idsB = [...serverB.of('/').sockets.keys()];
    assert.deepEqual(
      page.sockets.map((s) => s.id),
      [idsA[2], idsB[0], idsB[1]],
    );
  });
});
