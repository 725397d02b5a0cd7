// Rooms and broadcasting seen by official socket.io-client 4.8: to/except, acks from many clients, server-side utilities.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Socket as ClientSocket } from 'socket.io-client';
import type { Socket } from '@switchboard/server';
import { SERVER_IMPLEMENTATIONS, startServer, waitFor, within, type TestServer } from './server-kit.js';

// Each suite runs against the official server too: passing there proves its expectations.
for (const impl of SERVER_IMPLEMENTATIONS)
  describe(`server rooms and broadcasts: ${impl.name}`, () => {
    let server: TestServer;
    const clients: ClientSocket[] = [];
    const sockets: Socket[] = [];

    before(async () => {
      server = await startServer({}, 0, impl.create);
      for (const name of ['a', 'b', 'c', 'd']) {
        const connected = waitFor<[Socket]>(server.io, 'connection');
        const client = server.client('/', { query: { name } });
        const [socket] = await connected;
        await waitFor(client, 'connect').catch(() => undefined);
        clients.push(client);
        sockets.push(socket);
      }
    });
    after(() => server.close());

    /** Collects which clients receive `event` within a short window after `act` runs. */
    async function receivers(event: string, act: () => void, expected: number): Promise<string[]> {
      const got: string[] = [];
      const all = new Promise<void>((resolve) => {
        clients.forEach((client, i) => {
          client.once(event, () => {
            got.push('abcd'[i] as string);
            if (got.length === expected) resolve();
          });
        });
      });
      act();
      await within(all, 5000, `${expected} receivers of ${event}`);
      // A marker sent to everyone afterwards proves nobody else got the event (delivery is ordered per connection).
      const marker = Promise.all(clients.map((client) => waitFor(client, `${event}-done`)));
      server.io.emit(`${event}-done`);
      await marker;
      for (const client of clients) client.off(event);
      return got.sort();
    }

    test('io.emit reaches every client', async () => {
      assert.deepEqual(await receivers('all', () => server.io.emit('all'), 4), ['a', 'b', 'c', 'd']);
    });

    test('to(room).to([rooms]).except(room) selects the union minus the exception', async () => {
      const [a, b, c, d] = sockets as [Socket, Socket, Socket, Socket];
      void a.join('r1');
      void b.join(['r2', 'r3']);
      void c.join('r3');
      void d.join(['r1', 'x']);
      assert.deepEqual(await receivers('sel', () => server.io.to('r1').to(['r2', 'r3']).except('x').emit('sel'), 3), [
        'a',
        'b',
        'c',
      ]);
    });

    test('socket.to(room) excludes the sender, socket.broadcast reaches everyone else', async () => {
      const [a] = sockets as [Socket];
      assert.deepEqual(await receivers('peer', () => a.to('r1').emit('peer'), 1), ['d']);
      assert.deepEqual(await receivers('bc', () => a.broadcast.emit('bc'), 3), ['b', 'c', 'd']);
    });

    test('leave removes a socket from a room and rooms reflect membership', async () => {
      const [, , c] = sockets as [Socket, Socket, Socket];
      assert.equal(c.rooms.has('r3'), true);
      void c.leave('r3');
      assert.equal(c.rooms.has('r3'), false);
      assert.deepEqual(await receivers('r3only', () => server.io.to('r3').emit('r3only'), 1), ['b']);
    });

    test('timeout(ms).emit collects one acknowledgement per client', async () => {
      clients.forEach((client, i) => client.on('count', (ack: (n: number) => void) => ack(i)));
      const responses = (await within(server.io.timeout(1000).emitWithAck('count'))) as number[];
      assert.deepEqual([...responses].sort(), [0, 1, 2, 3]);
      for (const client of clients) client.off('count');
    });

    test('timeout(ms).emit reports an error with the partial responses when a client does not answer', async () => {
      clients.forEach((client, i) => client.on('partial', (ack: (n: number) => void) => i !== 2 && ack(i)));
      const [err, responses] = await new Promise<[Error | null, number[]]>((resolve) => {
        // Long enough for the three answering clients even on a loaded machine; the fourth never answers.
        server.io.timeout(1500).emit('partial', (e: Error | null, r: number[]) => resolve([e, r]));
      });
      assert.equal(err?.message, 'operation has timed out');
      if (impl.precise) assert.equal((err as Error & { code?: string }).code, 'SIO_ERR_ACK_TIMEOUT');
      assert.deepEqual([...responses].sort(), [0, 1, 3]);
      for (const client of clients) client.off('partial');
    });

    // socket.io calls such a callback after about 0 ms; Switchboard refuses it.
    test('a broadcast ack callback without timeout is refused with a typed error', { skip: !impl.precise }, () => {
      assert.throws(() => (server.io.emit as (ev: string, cb: () => void) => boolean)('x', () => {}), {
        code: 'SIO_ERR_BROADCAST_ACK_UNSUPPORTED',
      });
    });

    test('fetchSockets returns sockets with id, handshake, rooms and data', async () => {
      const [a] = sockets as [Socket];
      (a.data as Record<string, unknown>)['tag'] = 'A';
      const inR1 = await server.io.in('r1').fetchSockets();
      assert.deepEqual(inR1.map((s) => s.id).sort(), [sockets[0]?.id, sockets[3]?.id].sort());
      const found = inR1.find((s) => s.id === a.id);
      assert.deepEqual(found?.data, { tag: 'A' });
      assert.equal(found?.handshake.query['name'], 'a');
      assert.equal(found?.rooms.has('r1'), true);
    });

    test('allSockets lists the ids in a room', async () => {
      const ids = await server.io.in('r1').allSockets();
      assert.deepEqual([...ids].sort(), [sockets[0]?.id, sockets[3]?.id].sort());
    });

    test('socketsJoin and socketsLeave change membership of the targeted sockets', async () => {
      server.io.except('r1').socketsJoin('joined');
      assert.deepEqual(
        (await server.io.in('joined').fetchSockets()).map((s) => s.id).sort(),
        [sockets[1]?.id, sockets[2]?.id].sort(),
      );
      server.io.in('joined').socketsLeave('joined');
      assert.equal((await server.io.in('joined').fetchSockets()).length, 0);
    });

    // socket.io 4.8 never calls this ack on a single server; Switchboard answers with no responses at once.
    test('serverSideEmit on a single server calls the ack with no responses', { skip: !impl.precise }, async () => {
      const responses = await within(server.io.serverSideEmitWithAck('hello'));
      assert.deepEqual(responses, []);
    });

    test('the adapter emits room lifecycle events', async () => {
      const adapter = server.io.sockets.adapter;
      const events: string[] = [];
      const record = (name: string) => (room: string) => events.push(`${name}:${room}`);
      adapter.on('create-room', record('create'));
      adapter.on('join-room', record('join'));
      adapter.on('leave-room', record('leave'));
      adapter.on('delete-room', record('delete'));
      const [, b] = sockets as [Socket, Socket];
      void b.join('life');
      void b.leave('life');
      assert.deepEqual(events, ['create:life', 'join:life', 'leave:life', 'delete:life']);
      adapter.removeAllListeners();
    });

    test('disconnectSockets disconnects the targeted clients with "io server disconnect"', async () => {
      const [, , , d] = clients as [ClientSocket, ClientSocket, ClientSocket, ClientSocket];
      const reason = waitFor<[string]>(d, 'disconnect');
      const serverReason = waitFor<[string]>(sockets[3] as Socket, 'disconnect');
      server.io.in('x').disconnectSockets();
      assert.equal((await reason)[0], 'io server disconnect');
      assert.equal((await serverReason)[0], 'server namespace disconnect');
      assert.equal(clients[0]?.connected, true);
    });
  });
