// The classic Redis adapter across three Switchboard nodes (child processes) on the real Redis, with clients spread
// over them: every feature of the adapter, over node-redis v4, node-redis v5 and ioredis.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Socket } from '@switchboard/client';
import { waitFor } from '../testkit/index.js';
import {
  connectClient,
  recordEvents,
  REDIS_URL,
  startNodes,
  uniqueKey,
  waitForServerCount,
  SUITE_TIMEOUT_MS,
  type ClusterNode,
  type RedisClientKind,
} from './redis-cluster.js';

interface FetchedSocket {
  id: string;
  rooms: string[];
  data: { name?: string };
}

// Every client kind with the default local delivery (once Redis answered the PUBLISH), and node-redis once more with
// deliverAfterPublish: false (at once, as socket.io's adapter does): the same behaviour is expected of both.
const variants: { client: RedisClientKind; deliverAfterPublish?: boolean }[] = [
  { client: 'node-redis' },
  { client: 'node-redis-v5' },
  { client: 'ioredis' },
  { client: 'node-redis', deliverAfterPublish: false },
];

for (const { client, deliverAfterPublish } of variants) {
  const title = `classic Redis adapter, three nodes over ${client}${deliverAfterPublish === false ? ', deliverAfterPublish: false' : ''}`;
  describe(title, { timeout: SUITE_TIMEOUT_MS }, () => {
    let nodes: ClusterNode[] = [];
    const clients = new Map<string, Socket>();
    const events = new Map<string, { event: string; args: unknown[] }[]>();
    const names = ['a1', 'a2', 'b1', 'b2', 'c1', 'c2'];
    const get = (name: string): Socket => clients.get(name) as Socket;
    const nodeA = (): ClusterNode => nodes[0] as ClusterNode;
    const nodeB = (): ClusterNode => nodes[1] as ClusterNode;
    const nodeC = (): ClusterNode => nodes[2] as ClusterNode;

    /** The arguments of the first `event` the client got, recorded already or awaited (no race with the IPC reply). */
    function received<Args extends unknown[] = unknown[]>(name: string, event: string): Promise<Args> {
      const seen = events.get(name)?.find((e) => e.event === event);
      if (seen !== undefined) return Promise.resolve(seen.args as Args);
      return waitFor<Args>(get(name), event, 5000, name);
    }

    /** Resolves when every named client got `event`; the others are then checked not to have it. */
    async function expectExactly(event: string, receivers: string[], marker: string): Promise<void> {
      // The marker goes to everybody after the event from the same node, so it arrives after it everywhere: once
      // every client has the marker, a client without the event will not get it.
      await Promise.all(names.map((name) => received(name, marker)));
      const got = names.filter((name) => events.get(name)?.some((e) => e.event === event));
      assert.deepEqual(got, receivers);
    }

    before(
      async () => {
        const key = uniqueKey(`classic-${client}`);
        nodes = await startNodes([{ name: 'A' }, { name: 'B' }, { name: 'C' }], {
          impl: 'switchboard',
          client,
          redisUrl: REDIS_URL,
          key,
          requestsTimeout: 2000,
          ...(deliverAfterPublish === undefined ? {} : { deliverAfterPublish }),
        });
        await waitForServerCount(nodes, 3);
        for (const [i, name] of names.entries()) {
          const socket = await connectClient((nodes[Math.floor(i / 2)] as ClusterNode).url, name);
          clients.set(name, socket);
          events.set(name, recordEvents(socket));
          socket.on('question', (ack: (answer: string) => void) => ack(`${name} answers`));
        }
        await Promise.all(['a1', 'b2', 'c1'].map((name) => get(name).timeout(5000).emitWithAck('join', 'red')));
      },
      { timeout: SUITE_TIMEOUT_MS },
    );

    after(async () => {
      for (const socket of clients.values()) socket.disconnect();
      await Promise.all(nodes.map((node) => node.stop()));
    });

    it('counts three servers on every node (PUBSUB NUMSUB of the request channel)', async () => {
      assert.deepEqual(await Promise.all(nodes.map((node) => node.call('serverCount'))), [3, 3, 3]);
    });

    it('delivers a broadcast from one node to the clients of every node', async () => {
      await nodeB().call('emit', { event: 'to-all', values: ['hi', { n: 1 }] });
      const all = await Promise.all(names.map((name) => received<[string, { n: number }]>(name, 'to-all')));
      for (const args of all) assert.deepEqual(args, ['hi', { n: 1 }]);
    });

    it('delivers the broadcasts of one node in the order they were emitted, on that node and the others', async () => {
      // Sent without waiting for each other, so several are in flight (and, with deliverAfterPublish, waiting).
      await Promise.all(Array.from({ length: 20 }, (_, n) => nodeB().call('emit', { event: 'seq', values: [n] })));
      await nodeB().call('emit', { event: 'marker-seq' });
      await Promise.all(names.map((name) => received(name, 'marker-seq')));
      const expected = Array.from({ length: 20 }, (_, n) => [n]);
      for (const name of names) {
        const got = (events.get(name) ?? []).filter((e) => e.event === 'seq').map((e) => e.args);
        assert.deepEqual(got, expected, `the order ${name} received`);
      }
    });

    it('delivers a room broadcast to the room members of every node and nobody else', async () => {
      await nodeA().call('emit', { event: 'to-red', rooms: ['red'] });
      await nodeA().call('emit', { event: 'marker-red' });
      await expectExactly('to-red', ['a1', 'b2', 'c1'], 'marker-red');
    });

    it('leaves out the sockets of an excepted room on every node', async () => {
      await nodeC().call('emit', { event: 'not-red', except: ['red'] });
      await nodeC().call('emit', { event: 'marker-except' });
      await expectExactly('not-red', ['a2', 'b1', 'c2'], 'marker-except');
    });

    it('targets a socket of another node by its id', async () => {
      await nodeA().call('emit', { event: 'to-one', rooms: [get('c2').id as string] });
      await nodeA().call('emit', { event: 'marker-one' });
      await expectExactly('to-one', ['c2'], 'marker-one');
    });

    it('keeps a local broadcast on the node that sent it', async () => {
      await nodeB().call('emit', { event: 'only-b', local: true });
      await nodeB().call('emit', { event: 'marker-local' });
      await expectExactly('only-b', ['b1', 'b2'], 'marker-local');
    });

    it('carries binary arguments to clients of other nodes byte for byte', async () => {
      await nodeA().call('emit', { event: 'bytes', values: [[1, 2, 255, 0], 'text'], binary: true });
      const [bytes, text] = await received<[ArrayBuffer | Uint8Array, string]>('c1', 'bytes');
      assert.deepEqual(
        [
          ...new Uint8Array(
            bytes instanceof ArrayBuffer
              ? bytes
              : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
          ),
        ],
        [1, 2, 255, 0],
      );
      assert.equal(text, 'text');
    });

    it('collects the acknowledgements of the clients of every node', async () => {
      const responses = await nodeA().call<string[]>('emitWithAck', { event: 'question', timeoutMs: 3000 });
      assert.deepEqual(
        [...responses].sort(),
        names.map((name) => `${name} answers`),
      );
      const inRoom = await nodeB().call<string[]>('emitWithAck', {
        event: 'question',
        rooms: ['red'],
        timeoutMs: 3000,
      });
      assert.deepEqual([...inRoom].sort(), ['a1 answers', 'b2 answers', 'c1 answers']);
    });

    it('fetches the sockets of every node with their rooms and data', async () => {
      const all = await nodeA().call<FetchedSocket[]>('fetchSockets');
      assert.deepEqual(all.map((s) => s.data.name).sort(), names);
      const b2 = all.find((s) => s.data.name === 'b2');
      assert.deepEqual(b2?.rooms, [get('b2').id as string, 'red'].sort());
      const red = await nodeC().call<FetchedSocket[]>('fetchSockets', {
        rooms: ['red'],
        except: [get('a1').id as string],
      });
      assert.deepEqual(red.map((s) => s.data.name).sort(), ['b2', 'c1']);
    });

    it('lists the rooms of every node with allRooms', async () => {
      const rooms = await nodeB().call<string[]>('allRooms');
      assert.ok(rooms.includes('red'));
      for (const name of names) assert.ok(rooms.includes(get(name).id as string), `${name}'s own room is listed`);
    });

    it('emits to a remote socket and gets its acknowledgement', async () => {
      await nodeA().call('remoteEmit', { socketId: get('b1').id as string, event: 'direct', values: [42] });
      assert.deepEqual(await received('b1', 'direct'), [42]);
      const answer = await nodeA().call('remoteEmitWithAck', { socketId: get('c2').id as string, event: 'question' });
      assert.equal(answer, 'c2 answers');
    });

    it('makes a remote socket join and leave a room', async () => {
      const b1 = get('b1').id as string;
      await nodeA().call('remoteJoin', { socketId: b1, room: 'green' });
      // The join and this broadcast leave node A in this order, so node B applies the join first.
      await nodeA().call('emit', { event: 'to-green', rooms: ['green'] });
      await received('b1', 'to-green');
      await nodeA().call('remoteLeave', { socketId: b1, room: 'green' });
      await nodeA().call('emit', { event: 'to-green-again', rooms: ['green'] });
      await nodeA().call('emit', { event: 'marker-green' });
      await expectExactly('to-green-again', [], 'marker-green');
    });

    it('makes the sockets of a room join and leave another room on every node', async () => {
      await nodeC().call('socketsJoin', { rooms: ['red'], room: 'blue' });
      await nodeC().call('emit', { event: 'to-blue', rooms: ['blue'] });
      await nodeC().call('emit', { event: 'marker-blue' });
      await expectExactly('to-blue', ['a1', 'b2', 'c1'], 'marker-blue');
      await nodeC().call('socketsLeave', { rooms: ['blue'], room: 'blue' });
      await nodeC().call('emit', { event: 'to-blue-again', rooms: ['blue'] });
      await nodeC().call('emit', { event: 'marker-blue-again' });
      await expectExactly('to-blue-again', [], 'marker-blue-again');
    });

    it('delivers serverSideEmit to the other nodes, and collects their acknowledgements', async () => {
      await nodeA().call('serverSideEmit', { event: 'server-event', values: ['from A', 7] });
      assert.deepEqual(await nodeB().waitForServerSide('server-event'), [['from A', 7]]);
      assert.deepEqual(await nodeC().waitForServerSide('server-event'), [['from A', 7]]);
      const answers = await nodeB().call<string[]>('serverSideEmitWithAck', {
        event: 'server-question',
        values: ['?'],
      });
      assert.deepEqual([...answers].sort(), ['answer from A', 'answer from C']);
      assert.equal(
        nodeB().serverSide.some((e) => e.event === 'server-question'),
        false,
        'a node does not hear its own serverSideEmit',
      );
    });

    it('keeps namespaces apart: a broadcast in /other reaches the /other clients of every node and no / client', async () => {
      const others = await Promise.all(
        [nodeA(), nodeC()].map((node, i) => connectClient(`${node.url}/other`, `other${i}`)),
      );
      try {
        const heard = Promise.all(others.map((socket) => waitFor(socket, 'in-other')));
        await nodeB().call('emit', { nsp: '/other', event: 'in-other' });
        await heard;
        await nodeB().call('emit', { event: 'marker-other' });
        await expectExactly('in-other', [], 'marker-other');
      } finally {
        for (const socket of others) socket.disconnect();
      }
    });

    it('disconnects a remote socket, and the sockets of a room on every node', async () => {
      const b1 = get('b1');
      const reason = waitFor<[string]>(b1, 'disconnect');
      await nodeC().call('remoteDisconnect', { socketId: b1.id as string });
      assert.equal((await reason)[0], 'io server disconnect');
      const reasons = ['a1', 'b2', 'c1'].map((name) => waitFor<[string]>(get(name), 'disconnect', 5000, name));
      await nodeB().call('disconnectSockets', { rooms: ['red'] });
      for (const [r] of await Promise.all(reasons)) assert.equal(r, 'io server disconnect');
      const left = await nodeA().call<FetchedSocket[]>('fetchSockets');
      assert.deepEqual(left.map((s) => s.data.name).sort(), ['a2', 'c2']);
    });

    it('reports no unhandled rejection or exception on any node', () => {
      for (const node of nodes) assert.deepEqual(node.unhandled, [], `node ${node.config.name}`);
    });
  });
}
