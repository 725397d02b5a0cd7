// The adapter conformance suite: three server processes sharing an adapter (or one, for single-server adapters),
// clients spread over them, and every cluster operation checked from the clients' and servers' side.
import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import { eventually, RecordingClient } from './clients.js';
import { ClusterNode, CommandError } from './cluster.js';
import type { FetchedSocket, Target } from './protocol.js';

/** How to run the suite for one adapter. */
export interface AdapterConformanceOptions {
  /** Shown in the test names. */
  name: string;
  /**
   * Absolute path (or file URL) of a module exporting `createAdapter(context: ConformanceNodeContext)`, which
   * returns the adapter class for the server process it runs in, and optionally `closeAdapter()`, called when the
   * server closes (quit broker connections there).
   */
  factoryModule: string;
  /** 3 servers (default), or 1 for adapters that serve one process only (multi-server checks adapt or skip). */
  nodes?: 1 | 3;
  /** Given to `createAdapter` as `context.options` (JSON): broker URL, a unique channel prefix, ... */
  factoryOptions?: Record<string, unknown>;
  /** @default 1000 */
  requestsTimeout?: number;
  /** @default 200 */
  heartbeatInterval?: number;
  /** Keep it above `requestsTimeout`: the dead-server check expects the request to time out first. @default 2000 */
  heartbeatTimeout?: number;
  /** Node flags of the server processes. @default the `switchboard-source` condition and tsx when run from sources */
  execArgv?: string[];
  /**
   * How server processes start: `child-process` (default), or `cluster-worker` (node:cluster workers of the test
   * process, which then is the primary: set up the adapter's primary side, e.g. `setupPrimary()`, before the suite).
   */
  processModel?: 'child-process' | 'cluster-worker';
}

const WAIT_MS = 3000;
const ACK_EVENTS = ['ask', 'ask-one-silent'] as const;

interface Placement {
  name: string;
  node: number;
  rooms: string[];
  acks: readonly string[];
}

/** Defines the suite with node:test (call it at the top level of a test file). */
export function defineAdapterConformanceSuite(options: AdapterConformanceOptions): void {
  const nodeCount = options.nodes ?? 3;
  const multi = nodeCount === 3;
  const requestsTimeout = options.requestsTimeout ?? 1000;
  const heartbeatInterval = options.heartbeatInterval ?? 200;
  const heartbeatTimeout = options.heartbeatTimeout ?? 2000;
  // Servers are named 0, 1, 2; with a single server every name is that server.
  const at = (index: number): number => index % nodeCount;
  const nodes: ClusterNode[] = [];
  const clients = new Map<string, RecordingClient>();
  const node = (index: number): ClusterNode => nodes[at(index)] as ClusterNode;
  const client = (name: string): RecordingClient => clients.get(name) as RecordingClient;

  // b2 does not acknowledge 'ask-one-silent': the broadcast with acks must time out on it.
  const placements: Placement[] = [
    { name: 'a0', node: 0, rooms: ['r1'], acks: ACK_EVENTS },
    { name: 'a1', node: 1, rooms: ['r1'], acks: ACK_EVENTS },
    { name: 'a2', node: 2, rooms: [], acks: ACK_EVENTS },
    { name: 'b2', node: 2, rooms: ['r1'], acks: ['ask'] },
    { name: 'd0', node: 0, rooms: ['doomed'], acks: ['ask'] },
    { name: 'd2', node: 2, rooms: ['doomed'], acks: ['ask'] },
    { name: 'e1', node: 1, rooms: [], acks: ['ask'] },
  ];
  const main = ['a0', 'a1', 'a2', 'b2'];

  const emit = (from: number, target: Target, event: string, ...args: unknown[]): Promise<unknown> =>
    node(from).run({ op: 'emit', target, event, args });
  const fetchSockets = (from: number, target: Target = {}): Promise<FetchedSocket[]> =>
    node(from).run({ op: 'fetchSockets', target });
  /** Broadcasts a fence from `from` to everyone and waits until `names` got it: what they did not get before, they will not. */
  let fences = 0;
  const fence = async (from: number, names: string[]): Promise<string> => {
    const event = `fence-${fences++}`;
    await emit(from, {}, event);
    await Promise.all(names.map((name) => client(name).waitFor(event, WAIT_MS)));
    return event;
  };
  const receivedBefore = (name: string, event: string, fenceEvent: string): boolean => {
    const log = client(name).received;
    const fenceAt = log.findIndex((r) => r.event === fenceEvent);
    return log.slice(0, fenceAt).some((r) => r.event === event);
  };

  describe(`adapter conformance: ${options.name} (${nodeCount} server${multi ? 's' : ''})`, () => {
    before(async () => {
      const started = await Promise.all(
        Array.from({ length: nodeCount }, (_, nodeIndex) =>
          ClusterNode.start({
            factoryModule: options.factoryModule,
            context: {
              nodeIndex,
              requestsTimeout,
              heartbeatInterval,
              heartbeatTimeout,
              options: options.factoryOptions ?? {},
            },
            execArgv: options.execArgv,
            processModel: options.processModel ?? 'child-process',
            // Generous: on a loaded machine a TypeScript server process takes seconds to compile and start.
            startTimeoutMs: 60_000,
          }),
        ),
      );
      nodes.push(...started);
      for (const p of placements) clients.set(p.name, new RecordingClient(p.name, node(p.node).port, p.rooms, p.acks));
      await Promise.all([...clients.values()].map((c) => c.connected(WAIT_MS)));
      // Every server must know the others before the checks start (heartbeats, or the broker's count).
      await Promise.all(
        nodes.map((n) =>
          eventually(
            'every server sees the cluster',
            WAIT_MS,
            async () => (await n.run({ op: 'serverCount' })) === nodeCount,
          ),
        ),
      );
    });

    after(async () => {
      for (const c of clients.values()) c.close();
      await Promise.all(nodes.map((n) => n.stop(3000)));
    });

    test('serverCount counts every server', async () => {
      for (const n of nodes) assert.equal(await n.run({ op: 'serverCount' }), nodeCount);
    });

    test('a broadcast reaches the clients of every server', async () => {
      await emit(0, {}, 'hello', 'everyone', 42);
      for (const name of main) assert.deepEqual(await client(name).waitFor('hello', WAIT_MS), ['everyone', 42]);
    });

    test('a broadcast to a room reaches its members on every server and no one else', async () => {
      await emit(1, { rooms: ['r1'] }, 'room-only', 'r1');
      for (const name of ['a0', 'a1', 'b2']) assert.deepEqual(await client(name).waitFor('room-only', WAIT_MS), ['r1']);
      const fenceEvent = await fence(1, ['a2']);
      assert.equal(receivedBefore('a2', 'room-only', fenceEvent), false);
    });

    test('except leaves out the members of the excepted room on every server', async () => {
      await emit(2, { except: ['r1'] }, 'not-r1');
      assert.deepEqual(await client('a2').waitFor('not-r1', WAIT_MS), []);
      const fenceEvent = await fence(2, ['a0', 'a1', 'b2']);
      for (const name of ['a0', 'a1', 'b2']) assert.equal(receivedBefore(name, 'not-r1', fenceEvent), false, name);
    });

    test('a local broadcast stays on the server that sends it', async () => {
      await emit(0, { local: true }, 'local-only');
      assert.deepEqual(await client('a0').waitFor('local-only', WAIT_MS), []);
      const fenceEvent = await fence(0, ['a1', 'a2', 'b2']);
      for (const name of ['a1', 'a2', 'b2'])
        assert.equal(receivedBefore(name, 'local-only', fenceEvent), multi ? false : true, name);
    });

    test('binary payloads cross servers byte for byte', async () => {
      const bytes = Buffer.from([0, 1, 2, 253, 254, 255]);
      await emit(1, {}, 'binary', bytes, { nested: bytes });
      for (const name of main) {
        const [top, nested] = (await client(name).waitFor('binary', WAIT_MS)) as [ArrayBuffer, { nested: ArrayBuffer }];
        assert.deepEqual(Buffer.from(top), bytes, name);
        assert.deepEqual(Buffer.from(nested.nested), bytes, name);
      }
    });

    test('a volatile broadcast is accepted and reaches writable clients', async () => {
      assert.equal(await emit(2, { volatile: true }, 'volatile-hello'), true);
      for (const name of main) assert.deepEqual(await client(name).waitFor('volatile-hello', WAIT_MS), []);
    });

    test('a broadcast with acks collects one answer per client from every server', async () => {
      const responses = await node(0).run<string[]>({
        op: 'emitWithAck',
        target: {},
        timeout: 2000,
        event: 'ask',
        args: [],
      });
      assert.deepEqual([...responses].sort(), placements.map((p) => p.name).sort());
    });

    test('a broadcast with acks to a room counts only the clients of that room', async () => {
      const responses = await node(2).run<string[]>({
        op: 'emitWithAck',
        target: { rooms: ['r1'] },
        timeout: 2000,
        event: 'ask',
        args: [],
      });
      assert.deepEqual([...responses].sort(), ['a0', 'a1', 'b2']);
    });

    test('a broadcast with acks times out with SIO_ERR_ACK_TIMEOUT when one client does not answer', async () => {
      const timeout = 600;
      const failure = await node(1)
        .run({ op: 'emitWithAck', target: { rooms: ['r1'] }, timeout, event: 'ask-one-silent', args: [] })
        .then(
          () => undefined,
          (err: unknown) => err,
        );
      assert.ok(failure instanceof CommandError, 'the broadcast with acks failed');
      assert.equal(failure.code, 'SIO_ERR_ACK_TIMEOUT');
      assert.ok(failure.elapsedMs >= timeout - 20, `ended after ${failure.elapsedMs} ms, not before the timeout`);
    });

    test('fetchSockets returns the sockets of every server with their rooms and data', async () => {
      const sockets = await fetchSockets(0);
      const byName = new Map(sockets.map((s) => [(s.data as { name: string }).name, s]));
      for (const p of placements) {
        const socket = byName.get(p.name);
        assert.ok(socket, `${p.name} is listed`);
        assert.equal(socket.id, client(p.name).id);
        assert.deepEqual((socket.data as { node: number }).node, at(p.node));
        assert.deepEqual([...socket.rooms].sort(), [client(p.name).id, ...p.rooms].sort());
      }
      const inRoom = await fetchSockets(2, { rooms: ['r1'] });
      assert.deepEqual(inRoom.map((s) => (s.data as { name: string }).name).sort(), ['a0', 'a1', 'b2']);
    });

    test('allRooms lists the rooms of every server, when the adapter offers it', async (t) => {
      const rooms = await node(1).run<string[] | null>({ op: 'allRooms' });
      if (rooms === null) {
        t.skip('the adapter has no allRooms()');
        return;
      }
      for (const room of ['r1', 'doomed', client('a0').id, client('b2').id]) assert.ok(rooms.includes(room), room);
    });

    test('a socket fetched from another server can be emitted to, joined to and removed from a room', async () => {
      const a2 = client('a2');
      await node(0).run({ op: 'remoteSocket', socketId: a2.id, action: 'emit', event: 'direct', args: ['just you'] });
      assert.deepEqual(await a2.waitFor('direct', WAIT_MS), ['just you']);

      await node(0).run({ op: 'remoteSocket', socketId: a2.id, action: 'join', room: 'r9' });
      const roomsOfA2 = async (): Promise<string[]> => (await fetchSockets(1)).find((s) => s.id === a2.id)?.rooms ?? [];
      await eventually('a2 joins r9', WAIT_MS, async () => (await roomsOfA2()).includes('r9'));
      await emit(1, { rooms: ['r9'] }, 'to-r9');
      assert.deepEqual(await a2.waitFor('to-r9', WAIT_MS), []);

      await node(0).run({ op: 'remoteSocket', socketId: a2.id, action: 'leave', room: 'r9' });
      await eventually('a2 leaves r9', WAIT_MS, async () => !(await roomsOfA2()).includes('r9'));
    });

    test('a socket fetched from another server can be disconnected', async () => {
      const e1 = client('e1');
      await node(2).run({ op: 'remoteSocket', socketId: e1.id, action: 'disconnect' });
      assert.deepEqual(await e1.waitFor('disconnect', WAIT_MS), ['io server disconnect']);
    });

    test('socketsJoin and socketsLeave act on the matching sockets of every server', async () => {
      await node(1).run({ op: 'socketsJoin', target: { rooms: ['r1'] }, room: 'r2' });
      const namesIn = async (room: string): Promise<string[]> =>
        (await fetchSockets(2, { rooms: [room] })).map((s) => (s.data as { name: string }).name).sort();
      await eventually('a0, a1 and b2 join r2', WAIT_MS, async () => (await namesIn('r2')).join() === 'a0,a1,b2');
      await node(0).run({ op: 'socketsLeave', target: {}, room: 'r2' });
      await eventually('everyone leaves r2', WAIT_MS, async () => (await namesIn('r2')).length === 0);
    });

    test('disconnectSockets disconnects the matching sockets of every server', async () => {
      await node(1).run({ op: 'disconnectSockets', target: { rooms: ['doomed'] } });
      assert.deepEqual(await client('d0').waitFor('disconnect', WAIT_MS), ['io server disconnect']);
      assert.deepEqual(await client('d2').waitFor('disconnect', WAIT_MS), ['io server disconnect']);
      const fenceEvent = await fence(1, main);
      for (const name of main) assert.equal(receivedBefore(name, 'disconnect', fenceEvent), false, name);
    });

    test(
      'serverSideEmit reaches every other server and not the sender',
      { skip: !multi && 'needs several servers' },
      async () => {
        const heard = [node(1).nextServerSideEvent('note', WAIT_MS), node(2).nextServerSideEvent('note', WAIT_MS)];
        await node(0).run({ op: 'serverSideEmit', event: 'note', args: ['from 0', 7] });
        for (const args of await Promise.all(heard)) assert.deepEqual(args, ['from 0', 7]);
      },
    );

    test('serverSideEmitWithAck collects one answer from every other server', async () => {
      const responses = await node(0).run<{ node: number }[]>({
        op: 'serverSideEmitWithAck',
        event: 'whoami',
        args: ['q'],
      });
      const expected = multi
        ? [
            { node: 1, arg: 'q' },
            { node: 2, arg: 'q' },
          ]
        : [];
      assert.deepEqual(
        [...responses].sort((x, y) => x.node - y.node),
        expected,
      );
    });

    test(
      'a killed server: requests waiting on it fail with ADAPTER_ERR_REQUEST_TIMEOUT, the others keep serving, serverCount drops',
      { skip: !multi && 'needs several servers' },
      async () => {
        const victim = nodes[2] as ClusterNode;
        // The request leaves while the victim is alive (it hears it) and is still waiting for its answer.
        const heard = victim.nextServerSideEvent('hang', WAIT_MS);
        const request = node(0)
          .run({ op: 'serverSideEmitWithAck', event: 'hang', args: [] })
          .then(
            () => undefined,
            (err: unknown) => err,
          );
        await heard;
        await victim.kill();
        const failure = await request;
        assert.ok(failure instanceof CommandError, 'the request failed');
        assert.equal(failure.code, 'ADAPTER_ERR_REQUEST_TIMEOUT');
        assert.ok(failure.elapsedMs >= requestsTimeout - 20, `failed after ${failure.elapsedMs} ms`);
        assert.ok(failure.elapsedMs < requestsTimeout + 3000, `failed after ${failure.elapsedMs} ms`);

        await emit(0, {}, 'after-kill');
        assert.deepEqual(await client('a1').waitFor('after-kill', WAIT_MS), []);
        await eventually('serverCount drops to 2 on both survivors', heartbeatTimeout + WAIT_MS, async () => {
          const counts = await Promise.all([node(0).run({ op: 'serverCount' }), node(1).run({ op: 'serverCount' })]);
          return counts[0] === 2 && counts[1] === 2;
        });
        // Requests no longer wait on the dead server.
        const sockets = await fetchSockets(1);
        assert.deepEqual(sockets.map((s) => (s.data as { name: string }).name).sort(), ['a0', 'a1']);
      },
    );
  });
}
