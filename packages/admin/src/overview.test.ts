// Our dashboard's server-side views: paging and filtering sockets and rooms, and the once-a-second overview.
import assert from 'node:assert/strict';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { Server } from '@switchboard/server';
import { ActivityLog, previewArgs } from './activity-log.js';
import { instrument, type Instrumentation } from './instrument.js';
import type { Overview, RoomsPage, SocketsPage } from './overview.js';
import { TrafficMeter } from './traffic-meter.js';

const SOCKETS = 30;

function waitForEvent<T>(client: ClientSocket, event: string, timeoutMs = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
    client.once(event, (value: T) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

describe('paged and aggregated views for the Switchboard dashboard', () => {
  let http: HttpServer;
  let io: Server;
  let admin: Instrumentation;
  let base: string;
  let dashboard: ClientSocket;
  const users: ClientSocket[] = [];

  before(async () => {
    http = createServer();
    io = new Server(http);
    admin = instrument(io, { auth: false, mode: 'development', serverId: 'node-a' });
    io.on('connection', (socket) => {
      const index = Number(socket.handshake.auth['index']);
      void socket.join(index % 2 === 0 ? 'even' : 'odd');
      if (index < 3) void socket.join('vip');
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    await Promise.all(
      Array.from({ length: SOCKETS }, (_, index) => {
        const client = connect(base, { auth: { index }, transports: ['websocket'], reconnection: false });
        users.push(client);
        return waitForEvent(client, 'connect');
      }),
    );
    dashboard = connect(`${base}/admin`, {
      auth: { client: 'switchboard' },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    await waitForEvent(dashboard, 'connect');
  });
  after(async () => {
    for (const client of [...users, dashboard]) client.disconnect();
    admin.close();
    await io.close();
  });

  test('a sockets page holds at most `limit` sockets and counts every match', async () => {
    const page: SocketsPage = await dashboard.emitWithAck('sb:sockets_page', { nsp: '/', offset: 10, limit: 8 });
    assert.equal(page.total, SOCKETS);
    assert.equal(page.offset, 10);
    assert.equal(page.sockets.length, 8);
    assert.equal(page.serverId, 'node-a');
    const first = page.sockets[0];
    assert.ok(first && first.nsp === '/' && first.transport === 'websocket' && first.handshake.address !== '');
  });

  test('the room filter and the search keep only the matching sockets', async () => {
    const vip: SocketsPage = await dashboard.emitWithAck('sb:sockets_page', { nsp: '/', room: 'vip' });
    assert.equal(vip.total, 3);
    assert.ok(vip.sockets.every((s) => s.rooms.includes('vip')));
    const target = users[7]?.id ?? '';
    const found: SocketsPage = await dashboard.emitWithAck('sb:sockets_page', { search: target.slice(0, 10) });
    assert.deepEqual(
      found.sockets.map((s) => s.id),
      [target],
    );
    const byOwnRoom: SocketsPage = await dashboard.emitWithAck('sb:sockets_page', { nsp: '/', room: target });
    assert.deepEqual(
      byOwnRoom.sockets.map((s) => s.id),
      [target],
    );
  });

  test('a page size above the maximum is capped at 200 and bad paging values fall back to defaults', async () => {
    const page: SocketsPage = await dashboard.emitWithAck('sb:sockets_page', { offset: -5, limit: 'lots' });
    assert.equal(page.offset, 0);
    assert.ok(page.sockets.length <= 50);
  });

  test('rooms come largest first with their sizes', async () => {
    const page: RoomsPage = await dashboard.emitWithAck('sb:rooms_page', { nsp: '/' });
    assert.deepEqual(
      page.rooms.map((r) => [r.name, r.size]),
      [
        ['even', 15],
        ['odd', 15],
        ['vip', 3],
      ],
    );
  });

  test('the overview arrives once a second with namespace counts, the traffic sample and clients without the dashboard', async () => {
    const overview = await waitForEvent<Overview>(dashboard, 'sb:overview', 3000);
    assert.equal(overview.serverId, 'node-a');
    const main = overview.namespaces.find((n) => n.name === '/');
    assert.deepEqual(main, { name: '/', socketsCount: SOCKETS, roomsCount: 3 });
    assert.equal(overview.clientsCount, SOCKETS); // the dashboard's own connection is not a client of the application
    assert.equal(typeof overview.sample.packetsIn, 'number');
  });

  test('our dashboard gets no per-socket events: a new socket shows up only in the next overview counts', async () => {
    let perSocketEvents = 0;
    dashboard.on('socket_connected', () => perSocketEvents++);
    const extra = connect(base, { auth: { index: 99 }, transports: ['websocket'], reconnection: false });
    users.push(extra);
    await waitForEvent(extra, 'connect');
    const overview = await waitForEvent<Overview>(dashboard, 'sb:overview', 3000);
    assert.ok(overview.activity.counts.connected >= 1);
    assert.equal(perSocketEvents, 0);
  });
});

test('the activity log keeps 50 entries per second and counts the rest', () => {
  const log = new ActivityLog(true);
  for (let i = 0; i < 80; i++) log.record('received', '/', `s${i}`, 'chat', [i]);
  const taken = log.take();
  assert.equal(taken.entries.length, 50);
  assert.equal(taken.dropped, 30);
  assert.equal(taken.counts.received, 80);
  assert.equal(log.take().counts.received, 0);
});

test('in production mode the activity log only counts', () => {
  const log = new ActivityLog(false);
  log.record('connected', '/', 's1', 'websocket');
  assert.deepEqual(log.take().entries, []);
});

test('event previews survive cycles and BigInt and are cut to one line', () => {
  const cyclic: Record<string, unknown> = {};
  cyclic['self'] = cyclic;
  assert.equal(previewArgs([cyclic]), '[unserializable]');
  assert.equal(previewArgs([1n]), '["1n"]');
  assert.ok(previewArgs(['x'.repeat(500)]).length <= 201);
});

test('the traffic meter keeps two minutes of one-second points', () => {
  const meter = new TrafficMeter();
  for (let i = 0; i < 130; i++) meter.sample(1_000_000 + i * 1000);
  assert.equal(meter.history.length, 120);
  assert.equal(meter.history[0]?.t, 1_010_000);
});
