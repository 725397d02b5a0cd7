// A mixed cluster on the real Redis: one Switchboard server with our createShardedAdapter and one socket.io 4.8
// server with @socket.io/redis-adapter 8.3's createShardedAdapter, on the same channels. Each side must hear the
// other's broadcasts (plain, to a room, binary), answer its fetchSockets, acks and server-side emits.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type Server as HttpServer } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { createShardedAdapter as createOfficialShardedAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import { Server as OfficialServer } from 'socket.io';
import { io as officialIo, type Socket as ClientSocket } from 'socket.io-client';
import { Server } from '@switchboard/server';
import { createShardedAdapter } from '@switchboard/redis-adapter';
import { closeServer, listen, waitFor, withTimeout } from '../testkit/index.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const WAIT_MS = 3000;

type RedisClient = ReturnType<typeof createClient>;

async function connectedPair(clients: RedisClient[]): Promise<[RedisClient, RedisClient]> {
  const pub = createClient({ url: REDIS_URL });
  const sub = pub.duplicate();
  for (const client of [pub, sub]) {
    client.on('error', () => {});
    clients.push(client);
  }
  await Promise.all([pub.connect(), sub.connect()]);
  return [pub, sub];
}

/** Polls until `check` holds, failing after `ms` (remote joins are fire-and-forget by design). */
async function eventually(what: string, check: () => Promise<boolean>, ms = WAIT_MS): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: still not true after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('sharded Redis adapter in a cluster with the official one', () => {
  const channelPrefix = `sb-interop-${randomBytes(6).toString('hex')}`;
  const redisClients: RedisClient[] = [];
  const httpServers: HttpServer[] = [];
  const clientSockets: ClientSocket[] = [];
  let ours: Server;
  let official: OfficialServer;
  let onOurs: ClientSocket;
  let onOfficial: ClientSocket;

  before(async () => {
    const [ourPub, ourSub] = await connectedPair(redisClients);
    const [officialPub, officialSub] = await connectedPair(redisClients);
    const ourHttp = createServer();
    const officialHttp = createServer();
    httpServers.push(ourHttp, officialHttp);
    ours = new Server(ourHttp, { adapter: createShardedAdapter(ourPub, ourSub, { channelPrefix }) });
    official = new OfficialServer(officialHttp, {
      adapter: createOfficialShardedAdapter(officialPub, officialSub, { channelPrefix }),
    });
    for (const [io, side] of [
      [ours, 'ours'],
      [official, 'official'],
    ] as const) {
      (io as OfficialServer).on('connection', (socket) => {
        socket.data = { side };
        void socket.join(['everyone', `room-${side}`]);
        socket.on('ping-me', (callback: (answer: string) => void) => callback(side));
      });
      (io as OfficialServer).on('whoami', (callback: (answer: string) => void) => callback(side));
    }
    const [ourPort, officialPort] = await Promise.all([listen(ourHttp), listen(officialHttp)]);
    onOurs = officialIo(`http://127.0.0.1:${ourPort}`, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    });
    onOfficial = officialIo(`http://127.0.0.1:${officialPort}`, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    });
    clientSockets.push(onOurs, onOfficial);
    for (const socket of clientSockets)
      socket.on('ask', (callback: (answer: string) => void) =>
        callback(socket === onOurs ? 'client-of-ours' : 'client-of-official'),
      );
    await Promise.all([waitFor(onOurs, 'connect', WAIT_MS), waitFor(onOfficial, 'connect', WAIT_MS)]);
    await eventually(
      'both servers count two servers',
      async () =>
        (await ours.of('/').adapter.serverCount()) === 2 && (await official.of('/').adapter.serverCount()) === 2,
    );
  });

  after(async () => {
    for (const socket of clientSockets) socket.disconnect();
    await ours.close();
    await new Promise<void>((resolve) => {
      void official.close(() => resolve());
    });
    await Promise.all(httpServers.map((server) => closeServer(server)));
    await Promise.all(redisClients.map((client) => client.quit().catch(() => {})));
  });

  test('a broadcast from ours reaches a client of the official server', async () => {
    const heard = waitFor(onOfficial, 'from-ours', WAIT_MS);
    ours.emit('from-ours', 'hi', 1);
    assert.deepEqual(await heard, ['hi', 1]);
  });

  test('a broadcast from the official server reaches a client of ours', async () => {
    const heard = waitFor(onOurs, 'from-official', WAIT_MS);
    official.emit('from-official', 'hello', 2);
    assert.deepEqual(await heard, ['hello', 2]);
  });

  test('room broadcasts cross both ways on the room channels (dynamic mode)', async () => {
    const toOfficial = waitFor(onOfficial, 'room-msg', WAIT_MS);
    ours.to('room-official').emit('room-msg', 'to official room');
    assert.deepEqual(await toOfficial, ['to official room']);
    const toOurs = waitFor(onOurs, 'room-msg', WAIT_MS);
    official.to('room-ours').emit('room-msg', 'to our room');
    assert.deepEqual(await toOurs, ['to our room']);
  });

  test('binary broadcasts cross both ways (msgpack)', async () => {
    const bytes = Buffer.from([1, 2, 3, 250, 255]);
    const toOfficial = waitFor<[Buffer]>(onOfficial, 'bin', WAIT_MS);
    ours.emit('bin', bytes);
    assert.deepEqual(Buffer.from((await toOfficial)[0]), bytes);
    const toOurs = waitFor<[Buffer]>(onOurs, 'bin2', WAIT_MS);
    official.emit('bin2', bytes);
    assert.deepEqual(Buffer.from((await toOurs)[0]), bytes);
  });

  test('fetchSockets from ours lists the socket of the official server, with its data', async () => {
    const sockets = await ours.fetchSockets();
    const remote = sockets.find((socket) => socket.id === onOfficial.id);
    assert.ok(remote, 'the official server answered');
    assert.deepEqual(remote.data, { side: 'official' });
    assert.ok(remote.rooms.has('room-official'));
  });

  test('fetchSockets from the official server lists the socket of ours, with its data', async () => {
    const sockets = await official.fetchSockets();
    const remote = sockets.find((socket) => socket.id === onOurs.id);
    assert.ok(remote, 'our server answered');
    assert.deepEqual(remote.data, { side: 'ours' });
    assert.ok(remote.rooms.has('room-ours'));
  });

  test('a broadcast with acks from ours collects the answer of the official server client, and back', async () => {
    const fromOurs = await withTimeout(ours.timeout(1000).emitWithAck('ask'), WAIT_MS, 'acks from ours');
    assert.deepEqual([...(fromOurs as string[])].sort(), ['client-of-official', 'client-of-ours']);
    const fromOfficial = await withTimeout(official.timeout(1000).emitWithAck('ask'), WAIT_MS, 'acks from official');
    assert.deepEqual([...(fromOfficial as string[])].sort(), ['client-of-official', 'client-of-ours']);
  });

  test('serverSideEmitWithAck is answered across both ways', async () => {
    assert.deepEqual(await ours.serverSideEmitWithAck('whoami'), ['official']);
    assert.deepEqual(await official.serverSideEmitWithAck('whoami'), ['ours']);
  });

  test('socketsJoin from the official server reaches our socket, and ours reaches theirs', async () => {
    official.in(onOurs.id as string).socketsJoin('joined-by-official');
    await eventually(
      'our socket joined',
      async () =>
        ours
          .of('/')
          .adapter.rooms.get('joined-by-official')
          ?.has(onOurs.id as string) === true,
    );
    ours.in(onOfficial.id as string).socketsJoin('joined-by-ours');
    await eventually(
      'their socket joined',
      async () =>
        official
          .of('/')
          .adapter.rooms.get('joined-by-ours')
          ?.has(onOfficial.id as string) === true,
    );
  });
});
