// Application code that throws, and hostile argument counts, against a server process that keeps running as many
// apps do (an `uncaughtException` handler): the exception stays the application's, the connection keeps working.
// Proven on socket.io 4.8 first where it behaves the same; cells marked "ours only" are where it does not.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { waitFor, within } from './server-kit.js';

const APP = fileURLToPath(new URL('./apps/throwing-app.ts', import.meta.url));

interface AppProcess {
  port: number;
  url: string;
  uncaught: string[];
  /** Resolves with the next uncaught exception's message. */
  nextUncaught(): Promise<string>;
  exited: Promise<number | null>;
  child: ChildProcess;
}

async function startApp(official: boolean): Promise<AppProcess> {
  const child = spawn(
    process.execPath,
    ['--conditions=switchboard-source', '--import', 'tsx', APP, official ? 'official' : 'ours'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const uncaught: string[] = [];
  const waiters: ((message: string) => void)[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = await within(
    new Promise<number>((resolve) => {
      createInterface({ input: child.stdout }).on('line', (line) => {
        const fact = JSON.parse(line) as { listening?: number; uncaught?: string };
        if (fact.listening !== undefined) resolve(fact.listening);
        if (fact.uncaught !== undefined) {
          uncaught.push(fact.uncaught);
          waiters.shift()?.(fact.uncaught);
        }
      });
    }),
    15_000,
    'app process listening',
  );
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    uncaught,
    child,
    exited,
    nextUncaught: () =>
      within(new Promise((resolve) => waiters.push(resolve)), 5000, 'an uncaught exception in the app'),
  };
}

const IMPLEMENTATIONS = [
  { name: 'socket.io 4.8 (official)', official: true },
  { name: '@switchboard/server', official: false },
] as const;

for (const impl of IMPLEMENTATIONS)
  describe(`application code that throws: ${impl.name}`, () => {
    let app: AppProcess;
    const clients: ClientSocket[] = [];
    const oursOnly = { skip: impl.official ? 'socket.io 4.8 behaves otherwise (see the test name)' : false };

    before(async () => {
      app = await startApp(impl.official);
    });
    after(async () => {
      for (const client of clients) client.disconnect();
      app.child.kill();
      await app.exited;
    });

    function client(transports: ('polling' | 'websocket')[], nsp = '/'): ClientSocket {
      const socket = connect(`${app.url}${nsp}`, { forceNew: true, reconnection: false, transports });
      clients.push(socket);
      return socket;
    }

    for (const transport of ['websocket', 'polling'] as const) {
      test(`acks the next emit after a handler threw, over ${transport}`, async () => {
        const socket = client([transport]);
        await waitFor(socket, 'connect');
        const uncaught = app.nextUncaught();
        socket.emit('throw');
        assert.equal(await uncaught, 'handler bug');
        assert.equal(await within(socket.emitWithAck('echo', 'after'), 5000, 'ack after the throw'), 'after');
        assert.equal(socket.connected, true);
      });
    }

    test('a handler that throws after calling its ack still gets its ack to the client', async () => {
      const socket = client(['websocket']);
      await waitFor(socket, 'connect');
      const uncaught = app.nextUncaught();
      await within(socket.emitWithAck('throw-in-ack'), 5000, 'the ack sent before the throw');
      assert.equal(await uncaught, 'handler bug after ack');
      assert.equal(await within(socket.emitWithAck('echo', 1)), 1);
    });

    test("an ack callback that throws on the server leaves the client's connection working", async () => {
      const socket = client(['polling']);
      socket.on('question', (answer: () => void) => answer());
      await waitFor(socket, 'connect');
      const uncaught = app.nextUncaught();
      assert.equal(await within(socket.emitWithAck('ask-back')), 'asked');
      assert.equal(await uncaught, 'ack callback bug');
      assert.equal(await within(socket.emitWithAck('echo', 2)), 2);
    });

    test(
      'a connection listener that throws does not keep the next connection listener from running (ours only)',
      oursOnly,
      async () => {
        const uncaught = app.nextUncaught();
        const socket = client(['websocket'], '/throwing-connection');
        await waitFor(socket, 'connect');
        assert.equal(await uncaught, 'connection handler bug');
        assert.equal(await within(socket.emitWithAck('echo', 3)), 3);
      },
    );

    test(
      'an event with 60,000 arguments closes that connection only; the process stays up (ours only)',
      oursOnly,
      async () => {
        const raw = new WebSocket(`${app.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
        const closed = new Promise<void>((resolve) => raw.once('close', () => resolve()));
        raw.on('message', (data) => {
          const frame = String(data);
          if (frame.startsWith('0{')) raw.send('40');
          else if (frame.startsWith('40{')) raw.send(`42["count"${',0'.repeat(60_000)}]`);
          else if (frame === '2') raw.send('3');
        });
        await within(closed, 5000, 'the connection closed after the oversized event');
        const other = client(['websocket']);
        await waitFor(other, 'connect');
        assert.equal(await within(other.emitWithAck('count', 1, 2, 3)), 3);
        assert.deepEqual(
          app.uncaught.filter((m) => m.includes('call stack')),
          [],
        );
        assert.equal(app.child.exitCode, null);
      },
    );

    test(
      'a middleware that throws refuses the connection with "Server error", its exception the application\'s (ours only)',
      oursOnly,
      async () => {
        const uncaught = app.nextUncaught();
        const socket = client(['websocket'], '/throwing-middleware');
        const [err] = await waitFor<[Error]>(socket, 'connect_error');
        assert.equal(err.message, 'Server error');
        assert.equal(await uncaught, 'middleware bug in /srv/app/auth.js');
      },
    );
  });
