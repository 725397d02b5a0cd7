// Connection state recovery with official socket.io-client 4.8: id, rooms, data and missed packets come back.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Socket } from '@switchboard/server';
import { SERVER_IMPLEMENTATIONS, startServer, waitFor, within, type TestServer } from './server-kit.js';

// Each suite runs against the official server too: passing there proves its expectations.
for (const impl of SERVER_IMPLEMENTATIONS)
  describe(`server connection state recovery: ${impl.name}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startServer({ connectionStateRecovery: { maxDisconnectionDuration: 5000 } }, 0, impl.create);
    });
    after(() => server.close());

    const reconnecting = {
      reconnection: true,
      reconnectionDelay: 200,
      reconnectionDelayMax: 200,
      randomizationFactor: 0,
    };

    for (const transports of [['websocket'], ['polling']]) {
      test(`after a transport close over ${transports[0]}, the client recovers its id, rooms, data and missed packets in order`, async () => {
        const connected = waitFor<[Socket]>(server.io, 'connection');
        const client = server.client('/', { ...reconnecting, transports });
        const [socket] = await connected;
        await waitFor(client, 'connect').catch(() => undefined);
        assert.equal(socket.recovered, false);
        assert.equal(client.recovered, false);
        void socket.join('news');
        (socket.data as Record<string, unknown>)['user'] = 'ann';
        // The client needs one offset before it can ask for a replay.
        const first = waitFor(client, 'tick');
        server.io.emit('tick', 0);
        await first;

        const received: unknown[] = [];
        client.on('tick', (n: number) => received.push(n));
        const lost = waitFor<[string]>(socket, 'disconnect');
        client.io.engine.close();
        assert.equal((await lost)[0], 'transport close');
        // Missed while disconnected: only what the socket's rooms would have received.
        server.io.emit('tick', 1);
        server.io.to('news').emit('tick', 2);
        server.io.to('elsewhere').emit('tick', 99);
        server.io.except('news').emit('tick', 98);
        server.io.emit('tick', 3);

        const recovered = waitFor<[Socket]>(server.io, 'connection', 5000);
        await waitFor(client, 'connect', 5000);
        const [again] = await recovered;
        assert.equal(again.recovered, true);
        assert.equal(client.recovered, true);
        assert.equal(again.id, socket.id);
        assert.equal(client.id, socket.id);
        assert.equal(again.rooms.has('news'), true);
        assert.deepEqual(again.data, { user: 'ann' });
        const fourth = waitFor(client, 'after');
        server.io.emit('after');
        await within(fourth);
        assert.deepEqual(received, [1, 2, 3]);
        client.disconnect();
      });
    }

    test('a client that left with disconnect() is not recovered', async () => {
      const connected = waitFor<[Socket]>(server.io, 'connection');
      const client = server.client('/', reconnecting);
      const [socket] = await connected;
      await waitFor(client, 'connect').catch(() => undefined);
      const first = waitFor(client, 'tick');
      server.io.emit('tick', 0);
      await first;
      const left = waitFor(socket, 'disconnect');
      client.disconnect();
      await left;
      const again = waitFor<[Socket]>(server.io, 'connection');
      client.connect();
      const [fresh] = await again;
      assert.equal(fresh.recovered, false);
      assert.notEqual(fresh.id, socket.id);
      client.disconnect();
    });

    test('middlewares are skipped for a recovered socket by default', async () => {
      const nsp = server.io.of('/mw');
      let runs = 0;
      nsp.use((_socket, next) => {
        runs++;
        next();
      });
      const connected = waitFor<[Socket]>(nsp, 'connection');
      const client = server.client('/mw', reconnecting);
      const [socket] = await connected;
      await waitFor(client, 'connect').catch(() => undefined);
      const first = waitFor(client, 'tick');
      nsp.emit('tick', 0);
      await first;
      const lost = waitFor(socket, 'disconnect');
      client.io.engine.close();
      await lost;
      const recovered = waitFor<[Socket]>(nsp, 'connection', 5000);
      const [again] = await recovered;
      assert.equal(again.recovered, true);
      assert.equal(runs, 1);
      client.disconnect();
    });

    test('single-socket emits also carry offsets and are replayed', async () => {
      const connected = waitFor<[Socket]>(server.io, 'connection');
      const client = server.client('/', reconnecting);
      const [socket] = await connected;
      await waitFor(client, 'connect').catch(() => undefined);
      const first = waitFor(client, 'direct');
      socket.emit('direct', 'a');
      await first;
      const received: unknown[] = [];
      client.on('direct', (v: string) => received.push(v));
      const lost = waitFor(socket, 'disconnect');
      client.io.engine.close();
      await lost;
      socket.emit('direct', 'missed');
      const recovered = waitFor<[Socket]>(server.io, 'connection', 5000);
      const [again] = await recovered;
      await waitFor(client, 'connect', 5000).catch(() => undefined);
      const done = waitFor(client, 'direct');
      again.emit('direct', 'live');
      await done;
      assert.equal(again.recovered, true);
      assert.deepEqual(received.slice(0, 2), ['missed', 'live']);
      client.disconnect();
    });
  });
