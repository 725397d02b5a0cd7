// @switchboard/client against the official socket.io 4.8 server: retries, reconnection with back-off, state recovery.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { io, type Socket } from '@switchboard/client';
import { startOfficialServer, TRANSPORT_SETUPS, until, waitFor, type OfficialServer } from './client-support.js';

for (const setup of TRANSPORT_SETUPS) {
  describe(`client reliability over ${setup.name}`, () => {
    const servers: OfficialServer[] = [];
    const sockets: Socket[] = [];
    const start = async (...args: Parameters<typeof startOfficialServer>): Promise<OfficialServer> => {
      const server = await startOfficialServer(...args);
      servers.push(server);
      return server;
    };
    const connect = (url: string, opts: Parameters<typeof io>[1] = {}): Socket => {
      const socket = io(url, { forceNew: true, ...setup.opts, ...opts });
      sockets.push(socket);
      return socket;
    };
    after(async () => {
      for (const socket of sockets) socket.disconnect();
      await Promise.all(servers.map((server) => server.close()));
    });

    test('retries each packet until acknowledged, delivering in order with one callback each', async () => {
      const server = await start();
      const received: number[] = [];
      server.io.on('connection', (socket) => {
        const seen = new Set<number>();
        socket.on('task', (n: number, ack: (result: string) => void) => {
          received.push(n);
          // The first delivery of every task goes unanswered, so the client must send it again.
          if (!seen.has(n)) return void seen.add(n);
          ack(`done ${n}`);
        });
      });
      const socket = connect(server.url, { retries: 3, ackTimeout: 150, reconnection: false });
      const results: unknown[][] = [];
      const settled = [1, 2, 3].map(
        (n) =>
          new Promise<void>((resolve) =>
            socket.emit('task', n, (...args: unknown[]) => {
              results.push(args);
              resolve();
            }),
          ),
      );
      await Promise.all(settled);
      assert.deepEqual(results, [
        [null, 'done 1'],
        [null, 'done 2'],
        [null, 'done 3'],
      ]);
      assert.deepEqual(received, [1, 1, 2, 2, 3, 3]);
    });

    test('re-sends the in-flight retry packet after a reconnection, then the rest in order', async () => {
      const server = await start();
      const received: number[] = [];
      let dropped = false;
      server.io.on('connection', (socket) => {
        socket.on('job', (n: number, ack: (result: number) => void) => {
          received.push(n);
          // The first delivery is lost with its connection: the client must send it again once reconnected.
          if (!dropped) {
            dropped = true;
            socket.conn.close();
            return;
          }
          ack(n * 10);
        });
      });
      const socket = connect(server.url, {
        retries: 5,
        ackTimeout: 5000,
        reconnectionDelay: 50,
        randomizationFactor: 0,
      });
      await waitFor(socket, 'connect');
      const results = await Promise.all([1, 2].map((n) => socket.emitWithAck('job', n)));
      assert.deepEqual(results, [10, 20]);
      assert.deepEqual(received, [1, 1, 2]);
    });

    test('gives up after the configured retries with the timeout error', async () => {
      const server = await start();
      let deliveries = 0;
      server.io.on('connection', (socket) =>
        socket.on('ignored', () => {
          deliveries++;
        }),
      );
      const socket = connect(server.url, { retries: 2, ackTimeout: 80, reconnection: false });
      const [err] = (await new Promise<unknown[]>((resolve) =>
        socket.emit('ignored', (...a: unknown[]) => resolve(a)),
      )) as [Error & { code?: string }];
      assert.equal(err.code, 'SIO_ERR_ACK_TIMEOUT');
      assert.equal(deliveries, 3);
    });

    test('reconnects with back-off after the server restarts on the same port, flushing offline emits in order', async () => {
      const first = await start();
      const socket = connect(first.url, { reconnectionDelay: 50, reconnectionDelayMax: 100, randomizationFactor: 0 });
      await waitFor(socket, 'connect');
      const attempts: number[] = [];
      socket.io.on('reconnect_attempt', (n) => attempts.push(n));
      const errors: Error[] = [];
      socket.io.on('reconnect_error', (err) => errors.push(err));
      const disconnected = waitFor(socket, 'disconnect');
      await first.close();
      const [reason] = await disconnected;
      // Polling sees the server's sockets reset (transport error); WebSocket sees the close frame.
      assert.ok(reason === 'transport close' || reason === 'transport error', String(reason));
      await until(() => errors.length >= 2);
      for (let i = 0; i < 3; i++) socket.emit('offline', i);
      assert.equal(socket.sendBuffer.length, 3);
      const second = await start({}, first.port);
      const received: number[] = [];
      second.io.on('connection', (s) => s.on('offline', (i: number) => received.push(i)));
      const [attempt] = await waitFor(socket.io, 'reconnect', 5000);
      assert.ok(attempts.length >= 3);
      assert.deepEqual(
        attempts,
        attempts.map((_, i) => i + 1),
      );
      assert.equal(attempt, attempts.at(-1));
      await until(() => received.length === 3);
      assert.deepEqual(received, [0, 1, 2]);
      assert.equal(socket.recovered, false);
    });

    test('recovers the session after the transport drops: same id, missed broadcasts delivered', async () => {
      const server = await start({ connectionStateRecovery: { maxDisconnectionDuration: 10_000 } });
      const socket = connect(server.url, { reconnectionDelay: 100, randomizationFactor: 0 });
      const ticks: unknown[] = [];
      socket.on('tick', (n: unknown) => ticks.push(n));
      await waitFor(socket, 'connect');
      assert.equal(socket.recovered, false);
      const id = socket.id;
      server.io.emit('tick', 1);
      await until(() => ticks.length === 1);
      // Broadcast while the client is away: these must be replayed on recovery.
      const serverSide = server.io.sockets.sockets.get(id ?? '');
      assert.ok(serverSide);
      serverSide.once('disconnect', () => {
        server.io.emit('tick', 2);
        server.io.emit('tick', 3);
      });
      const reconnected = waitFor(socket, 'connect', 5000);
      socket.io.engine.close();
      await reconnected;
      assert.equal(socket.recovered, true);
      assert.equal(socket.id, id);
      await until(() => ticks.length === 3);
      assert.deepEqual(ticks, [1, 2, 3]);
    });
  });
}
