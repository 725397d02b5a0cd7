// A mixed cluster on one Redis: a socket.io 4.8 node with @socket.io/redis-adapter 8.3 and a Switchboard node with
// ours. Broadcasts, rooms, except, binary, acks, fetchSockets, remote sockets and serverSideEmit cross both ways, and
// each project's emitter reaches the other's clients.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Emitter as OfficialEmitter } from '@socket.io/redis-emitter';
import { Emitter } from '@switchboard/redis-emitter';
import type { Socket } from '@switchboard/client';
import { createClient } from 'redis';
import { waitFor } from '../testkit/index.js';
import {
  connectClient,
  eventually,
  recordEvents,
  REDIS_URL,
  startNodes,
  uniqueKey,
  waitForServerCount,
  SUITE_TIMEOUT_MS,
  type ClusterNode,
} from './redis-cluster.js';

interface FetchedSocket {
  id: string;
  rooms: string[];
  data: { name?: string };
}

describe(
  'mixed cluster: socket.io with @socket.io/redis-adapter and Switchboard with ours',
  { timeout: SUITE_TIMEOUT_MS },
  () => {
    const key = uniqueKey('mixed');
    let official: ClusterNode;
    let ours: ClusterNode;
    const publisher = createClient({ url: REDIS_URL });
    const clients = new Map<string, Socket>();
    const events = new Map<string, { event: string; args: unknown[] }[]>();
    const names = ['o1', 'o2', 's1', 's2'];
    const get = (name: string): Socket => clients.get(name) as Socket;

    function received<Args extends unknown[] = unknown[]>(name: string, event: string): Promise<Args> {
      const seen = events.get(name)?.find((e) => e.event === event);
      if (seen !== undefined) return Promise.resolve(seen.args as Args);
      return waitFor<Args>(get(name), event, 5000, name);
    }

    /** Every client got `marker` (sent after `event` by the same publisher): then exactly `receivers` got `event`. */
    async function expectExactly(event: string, receivers: string[], marker: string): Promise<void> {
      await Promise.all(names.map((name) => received(name, marker)));
      assert.deepEqual(
        names.filter((name) => events.get(name)?.some((e) => e.event === event)),
        receivers,
      );
    }

    const fetchNames = async (node: ClusterNode, rooms?: string[]): Promise<string[]> =>
      (await node.call<FetchedSocket[]>('fetchSockets', rooms === undefined ? {} : { rooms }))
        .map((s) => s.data.name ?? '')
        .sort();

    before(
      async () => {
        const defaults = { client: 'node-redis' as const, redisUrl: REDIS_URL, key, requestsTimeout: 2000 };
        [official, ours] = (await startNodes(
          [
            { name: 'socket.io', impl: 'official' },
            // Ours answers on the requester's own response channel, socket.io's on the shared one: both paths cross.
            { name: 'switchboard', impl: 'switchboard', client: 'ioredis', publishOnSpecificResponseChannel: true },
          ],
          { ...defaults, impl: 'switchboard' },
        )) as [ClusterNode, ClusterNode];
        await publisher.connect();
        await waitForServerCount([official, ours], 2);
        for (const name of names) {
          const socket = await connectClient((name.startsWith('o') ? official : ours).url, name);
          clients.set(name, socket);
          events.set(name, recordEvents(socket));
          socket.on('question', (ack: (answer: string) => void) => ack(`${name} answers`));
        }
        await Promise.all(['o1', 's2'].map((name) => get(name).timeout(5000).emitWithAck('join', 'red')));
      },
      { timeout: SUITE_TIMEOUT_MS },
    );

    after(async () => {
      for (const socket of clients.values()) socket.disconnect();
      await Promise.all([official?.stop(), ours?.stop(), publisher.isOpen ? publisher.quit() : undefined]);
    });

    it('counts two servers on both nodes', async () => {
      assert.deepEqual(await Promise.all([official.call('serverCount'), ours.call('serverCount')]), [2, 2]);
    });

    for (const [from, label] of [
      [() => official, 'socket.io'],
      [() => ours, 'Switchboard'],
    ] as const) {
      it(`delivers a broadcast from the ${label} node to every client`, async () => {
        await from().call('emit', { event: `all-${label}`, values: [label] });
        for (const name of names) assert.deepEqual(await received(name, `all-${label}`), [label]);
      });

      it(`delivers a room broadcast and an except broadcast from the ${label} node to exactly their targets`, async () => {
        await from().call('emit', { event: `red-${label}`, rooms: ['red'] });
        await from().call('emit', { event: `not-red-${label}`, except: ['red'] });
        await from().call('emit', { event: `marker-${label}` });
        await expectExactly(`red-${label}`, ['o1', 's2'], `marker-${label}`);
        await expectExactly(`not-red-${label}`, ['o2', 's1'], `marker-${label}`);
      });

      it(`carries binary from the ${label} node to the other node's clients`, async () => {
        await from().call('emit', { event: `bytes-${label}`, values: [[9, 8, 7]], binary: true });
        const other = label === 'socket.io' ? 's1' : 'o1';
        const [bytes] = await received<[ArrayBuffer]>(other, `bytes-${label}`);
        assert.deepEqual([...new Uint8Array(bytes)], [9, 8, 7]);
      });

      it(`collects acknowledgements of both nodes' clients for the ${label} node`, async () => {
        const answers = await from().call<string[]>('emitWithAck', { event: 'question', timeoutMs: 3000 });
        assert.deepEqual(
          [...answers].sort(),
          names.map((name) => `${name} answers`),
        );
      });

      it(`fetches the sockets and rooms of both nodes from the ${label} node, and emits to a remote one`, async () => {
        assert.deepEqual(await fetchNames(from()), names);
        assert.deepEqual(await fetchNames(from(), ['red']), ['o1', 's2']);
        const rooms = await from().call<string[]>('allRooms');
        for (const name of names)
          assert.ok(rooms.includes(get(name).id as string), `allRooms lists ${name}'s own room`);
        assert.ok(rooms.includes('red'));
        const target = label === 'socket.io' ? 's1' : 'o2';
        await from().call('remoteEmit', { socketId: get(target).id as string, event: `direct-${label}`, values: [1] });
        assert.deepEqual(await received(target, `direct-${label}`), [1]);
      });

      it(`delivers serverSideEmit with and without acks from the ${label} node to the other`, async () => {
        const other = from() === official ? ours : official;
        await from().call('serverSideEmit', { event: 'server-event', values: [label] });
        assert.deepEqual(
          (await other.waitForServerSide('server-event')).some((args) => args[0] === label),
          true,
        );
        assert.deepEqual(await from().call('serverSideEmitWithAck', { event: 'server-question' }), [
          `answer from ${other.config.name}`,
        ]);
      });
    }

    it('applies socketsJoin and socketsLeave from either node to the sockets of both', async () => {
      await official.call('socketsJoin', { rooms: ['red'], room: 'blue' });
      await eventually(
        'both red sockets are in blue',
        async () => (await fetchNames(ours, ['blue'])).join() === 'o1,s2',
      );
      await ours.call('socketsLeave', { room: 'blue' });
      await eventually('nobody is in blue', async () => (await fetchNames(official, ['blue'])).length === 0);
    });

    for (const [label, create] of [
      ['the official emitter', () => new OfficialEmitter(publisher, { key })],
      ['our emitter', () => new Emitter(publisher, { key })],
    ] as const) {
      it(`reaches the clients of both nodes from ${label}, with rooms, except and binary`, async () => {
        const emitter = create();
        const tag = label.replaceAll(' ', '-');
        emitter.to('red').emit(`emitter-red-${tag}`);
        emitter.except('red').emit(`emitter-not-red-${tag}`, Buffer.from([1, 2]));
        emitter.emit(`emitter-marker-${tag}`);
        await expectExactly(`emitter-red-${tag}`, ['o1', 's2'], `emitter-marker-${tag}`);
        await expectExactly(`emitter-not-red-${tag}`, ['o2', 's1'], `emitter-marker-${tag}`);
        const [bytes] = await received<[ArrayBuffer]>('s1', `emitter-not-red-${tag}`);
        assert.deepEqual([...new Uint8Array(bytes)], [1, 2]);
      });

      it(`makes sockets of both nodes join and leave rooms, and reaches the servers, from ${label}`, async () => {
        const emitter = create();
        emitter.in('red').socketsJoin('yellow');
        await eventually(
          'both red sockets are in yellow',
          async () => (await fetchNames(official, ['yellow'])).join() === 'o1,s2',
        );
        emitter.socketsLeave('yellow');
        await eventually('nobody is in yellow', async () => (await fetchNames(ours, ['yellow'])).length === 0);
        emitter.serverSideEmit('server-event', label);
        for (const node of [official, ours]) {
          await eventually(`${node.config.name} heard ${label}`, () =>
            node.serverSide.some((e) => e.args[0] === label),
          );
        }
      });
    }

    it('disconnects sockets of both nodes from our emitter', async () => {
      const reasons = ['o1', 's2'].map((name) => waitFor<[string]>(get(name), 'disconnect', 5000, name));
      new Emitter(publisher, { key }).in('red').disconnectSockets();
      for (const [reason] of await Promise.all(reasons)) assert.equal(reason, 'io server disconnect');
      assert.deepEqual(await fetchNames(official), ['o2', 's1']);
    });

    it('reports no unhandled rejection or exception on either node', () => {
      assert.deepEqual([...official.unhandled, ...ours.unhandled], []);
    });
  },
);
