// `io.engine.opts.pingInterval`/`pingTimeout` changed after construction: sessions opened afterwards advertise the new
// values and the heartbeat keeps them (no "ping timeout"). Run against socket.io 4.8 (proving the test) and ours.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { SERVER_IMPLEMENTATIONS, startServer, within, type TestServer } from './server-kit.js';

const PINGS = 6;

for (const impl of SERVER_IMPLEMENTATIONS) {
  describe(`heartbeat options changed at run time on ${impl.name}`, () => {
    let server: TestServer | undefined;
    after(() => server?.close());

    test(`a client stays connected over ${PINGS} pings at the new pingInterval and pingTimeout`, async () => {
      server = await startServer({}, 0, impl.create);
      server.io.engine.opts.pingInterval = 60;
      server.io.engine.opts.pingTimeout = 40;
      const client = server.client('/', { transports: ['websocket'] });
      const reasons: string[] = [];
      client.on('disconnect', (reason) => reasons.push(reason));
      await within(new Promise<void>((resolve) => client.once('connect', () => resolve())), 5000, 'connect');
      const engine = client.io.engine as unknown as {
        _pingInterval: number;
        _pingTimeout: number;
        on(e: 'ping', f: () => void): void;
      };
      assert.deepEqual([engine._pingInterval, engine._pingTimeout], [60, 40]);
      let pings = 0;
      await within(
        new Promise<void>((resolve) => engine.on('ping', () => ++pings === PINGS && resolve())),
        5000,
        `${PINGS} pings`,
      );
      assert.deepEqual(reasons, []);
      assert.equal(client.connected, true);
    });
  });
}
