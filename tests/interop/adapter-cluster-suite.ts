// The suite every one of socket.io's adapters runs on a two-node cluster (one suite, many implementations).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Socket as ClientSocket } from 'socket.io-client';
import {
  CALL_TIMEOUT_MS,
  EventLog,
  eventually,
  startCluster,
  withTimeout,
  type ClusterNode,
  type NodeSetup,
  type TestCluster,
} from './adapter-cluster-kit.js';

/** What an adapter's cluster is expected to support (all of it unless said otherwise). */
export interface SuiteOptions {
  /** Node setups for the two nodes, made fresh for the suite (unique keys). */
  setups: () => NodeSetup[];
  /** Prepares shared state before the nodes start (e.g. a table) and removes it after. */
  prepare?: (setups: NodeSetup[]) => Promise<() => Promise<void>>;
  /**
   * Whether node B's adapter lists own-id rooms in `adapter.rooms` (socket.io's adapters do; Switchboard's keep them
   * implicit, see in-memory-adapter.ts). @default true
   */
  ownIdRoomsListed?: boolean;
}

/**
 * The cluster suite every adapter runs: clients a1 on node A, b1 and b2 on node B; every operation starts on node A
 * (a mixed cluster runs it twice, each implementation in turn being A).
 */
export function describeAdapterCluster(title: string, options: SuiteOptions): void {
  describe(title, { timeout: 120_000 }, () => {
    let cluster: TestCluster;
    let cleanup: (() => Promise<void>) | undefined;
    let a: ClusterNode;
    let b: ClusterNode;
    const sockets: Record<string, ClientSocket> = {};
    const logs: Record<string, EventLog> = {};

    before(async () => {
      const setups = options.setups();
      cleanup = await options.prepare?.(setups);
      cluster = await startCluster(setups);
      [a, b] = cluster.nodes as [ClusterNode, ClusterNode];
      const recovery = setups.some((setup) => setup.recovery === true);
      for (const [name, node] of [
        ['a1', a],
        ['b1', b],
        ['b2', b],
      ] as const) {
        const socket = await cluster.client(node, name);
        // Every client answers acknowledged events with its name.
        socket.on('question', (ack: (answer: string) => void) => ack(name));
        socket.on('direct-question', (ack: (answer: string) => void) => ack(`${name} answers`));
        sockets[name] = socket;
        logs[name] = new EventLog(socket, recovery);
      }
      // Heartbeat-based adapters learn about their peer shortly after it starts.
      await eventually(
        () => a.call<number>('serverCount'),
        (count) => count === 2,
      );
      await eventually(
        () => b.call<number>('serverCount'),
        (count) => count === 2,
      );
    });

    after(async () => {
      await cluster?.close();
      await cleanup?.();
    });

    const socketId = (name: string): string => sockets[name]?.id as string;

    /** Emits `marker` to everyone from node A, then returns the events each client received before it. */
    async function receivedBeforeMarker(marker: string): Promise<Record<string, string[]>> {
      await a.call('emit', { event: marker, args: [] });
      const received: Record<string, string[]> = {};
      for (const name of ['a1', 'b1', 'b2']) {
        received[name] = (await (logs[name] as EventLog).drainUntil(marker))
          .map(([event]) => event)
          .filter((e) => e !== marker);
      }
      return received;
    }

    it('counts two servers on each node', async () => {
      assert.deepEqual([await a.call('serverCount'), await b.call('serverCount')], [2, 2]);
    });

    it('delivers a broadcast from node A to the clients of both nodes, with its arguments', async () => {
      await a.call('emit', { event: 'news', args: ['hello', { n: 1 }] });
      const got = await Promise.all(['a1', 'b1', 'b2'].map((name) => (logs[name] as EventLog).drainUntil('news')));
      assert.deepEqual(got, [
        [['news', 'hello', { n: 1 }]],
        [['news', 'hello', { n: 1 }]],
        [['news', 'hello', { n: 1 }]],
      ]);
    });

    it('delivers binary data and a 20 kB string from node A to the clients of both nodes', async () => {
      await a.call('emitSamples');
      for (const name of ['a1', 'b1', 'b2']) {
        const [[event, bytes, text]] = (await (logs[name] as EventLog).drainUntil('samples')) as [
          [string, Uint8Array, string],
        ];
        // The text's length and its one repeated character, not the text: a failure message must stay readable.
        assert.deepEqual(
          [event, [...new Uint8Array(bytes)], text.length, new Set(text).size],
          ['samples', [1, 2, 3], 20_000, 1],
          name,
        );
      }
    });

    it('makes sockets of both nodes join a room from node A, and a room broadcast reaches only its members', async () => {
      await a.call('socketsJoin', { to: [socketId('a1'), socketId('b1')], rooms: ['red'] });
      await eventually(
        () => a.call<{ id: string }[]>('fetchSockets', { to: ['red'] }),
        (sockets) => sockets.length === 2,
      );
      await a.call('emit', { to: ['red'], event: 'red-news', args: [] });
      assert.deepEqual(await receivedBeforeMarker('marker-1'), { a1: ['red-news'], b1: ['red-news'], b2: [] });
    });

    it('leaves out the sockets of an excepted room on both nodes', async () => {
      await a.call('emit', { except: ['red'], event: 'not-red', args: [] });
      assert.deepEqual(await receivedBeforeMarker('marker-2'), { a1: [], b1: [], b2: ['not-red'] });
    });

    it('keeps a local broadcast on its own node', async () => {
      await b.call('emit', { local: true, event: 'b-only', args: [] });
      await a.call('emit', { local: true, event: 'a-only', args: [] });
      assert.deepEqual(await receivedBeforeMarker('marker-3'), { a1: ['a-only'], b1: ['b-only'], b2: ['b-only'] });
    });

    it('collects broadcast acknowledgements from the clients of both nodes', async () => {
      const answers = await a.call<string[]>('emitWithAck', { event: 'question', args: [], timeoutMs: 3000 });
      assert.deepEqual([...answers].sort(), ['a1', 'b1', 'b2']);
    });

    it('fetches the sockets of both nodes with their rooms and data', async () => {
      const found = await a.call<{ id: string; rooms: string[]; data: { name: string } }[]>('fetchSockets');
      const byName = Object.fromEntries(found.map((s) => [s.data.name, s]));
      assert.deepEqual(Object.keys(byName).sort(), ['a1', 'b1', 'b2']);
      assert.deepEqual(byName['b1'], {
        id: socketId('b1'),
        rooms: ['red', socketId('b1')].sort(),
        data: { name: 'b1' },
      });
    });

    const ownIdRooms =
      options.ownIdRoomsListed === false && "node B's adapter is Switchboard's: own-id rooms are implicit";
    it(
      "lists each local socket's own-id room in the adapter's rooms, as socket.io's adapters keep them",
      { skip: ownIdRooms },
      async () => {
        const rooms = await b.call<string[]>('localRooms');
        assert.deepEqual([rooms.includes(socketId('b1')), rooms.includes(socketId('b2'))], [true, true]);
      },
    );

    it('emits to a socket of node B through its RemoteSocket, acknowledgement included', async () => {
      await a.call('remoteEmit', { socketId: socketId('b2'), event: 'direct', args: [42] });
      assert.deepEqual(await (logs['b2'] as EventLog).drainUntil('direct'), [['direct', 42]]);
      const answer = await a.call('remoteEmit', {
        socketId: socketId('b1'),
        event: 'direct-question',
        args: [],
        timeoutMs: 3000,
      });
      assert.equal(answer, 'b1 answers');
    });

    it('delivers a server-side emit to the other node and collects its acknowledgement', async () => {
      const heard = b.nextEvent('peer-hello', ([payload]) => payload === 'plain');
      await a.call('serverSideEmit', { event: 'peer-hello', args: ['plain'] });
      assert.deepEqual(await heard, ['plain']);
      const answers = await a.call('serverSideEmitWithAck', { event: 'peer-hello', args: ['asked'] });
      assert.deepEqual(answers, [`${b.name}:asked`]);
    });

    it('makes sockets of node B leave a room from node A', async () => {
      await a.call('socketsLeave', { to: [socketId('b1')], rooms: ['red'] });
      await eventually(
        () => a.call<{ id: string }[]>('fetchSockets', { to: ['red'] }),
        (sockets) => sockets.length === 1,
      );
      await a.call('emit', { to: ['red'], event: 'red-again', args: [] });
      assert.deepEqual(await receivedBeforeMarker('marker-4'), { a1: ['red-again'], b1: [], b2: [] });
    });

    it('disconnects a socket of node B from node A', async () => {
      const disconnected = new Promise<string>((resolve) => sockets['b2']?.once('disconnect', resolve));
      await a.call('disconnectSockets', { to: [socketId('b2')] });
      assert.equal(await withTimeout(disconnected, CALL_TIMEOUT_MS, 'b2 disconnect'), 'io server disconnect');
    });

    it('counts no adapter failure on our nodes', async () => {
      for (const node of [a, b]) {
        const failures = await node.call<number | null>('adapterFailureCount');
        // null: the official socket.io node of a mixed cluster has no such counter.
        if (failures !== null) assert.equal(failures, 0, node.name);
      }
    });
  });
}
