// Lifecycle details socket.io apps rely on: attach() merging options, close() without a running HTTP server,
// a process that exits after io.close(), leaveAll(), dynamic child cleanup after a refusal, `connected` only after the
// middlewares, and immutable chained broadcast operators. Run against socket.io 4.8 (proving the tests) and ours.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import { Server as OfficialServer } from 'socket.io';
import { Server, type ServerOptions } from '@switchboard/server';
import { SERVER_IMPLEMENTATIONS, startServer, waitFor, within, type TestServer } from './server-kit.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

type Options = Partial<ServerOptions>;
const BARE: readonly { name: string; module: string; create(opts?: Options): Server }[] = [
  {
    name: 'socket.io 4.8 (official)',
    module: 'socket.io',
    create: (opts) => new OfficialServer(opts as ConstructorParameters<typeof OfficialServer>[0]) as unknown as Server,
  },
  { name: '@switchboard/server', module: '@switchboard/server', create: (opts) => new Server(opts) },
];

/** A child process that starts a server, connects a client, calls io.close() and must then exit on its own. */
function childScript(module: string): string {
  return `
    import { Server } from '${module}';
    import { io as connect } from 'socket.io-client';
    const io = new Server(0, { pingInterval: 60000, connectTimeout: 60000 });
    io.httpServer.on('listening', () => {
      const client = connect('http://127.0.0.1:' + io.httpServer.address().port, { reconnection: false });
      io.on('connection', (socket) => {
        io.of('/other');
        io.close(() => console.log('closed'));
      });
    });
  `;
}

for (const impl of BARE) {
  describe(`server lifecycle on ${impl.name}`, () => {
    test('io.close() calls its callback when the HTTP server is not running', async () => {
      const io = impl.create();
      io.attach(createServer());
      await within(new Promise<void>((resolve) => void io.close(() => resolve())), 5000, 'close callback');
    });

    test('io.attach() merges its options with the constructor options, which win', async () => {
      const io = impl.create({ pingTimeout: 1111 });
      io.attach(createServer(), { pingInterval: 4321, pingTimeout: 9999 });
      assert.deepEqual([io.engine.opts.pingInterval, io.engine.opts.pingTimeout], [4321, 1111]);
      await io.close();
    });

    test('a process exits by itself after io.close() with a client connected', async () => {
      const { stdout } = await new Promise<{ stdout: string }>((resolve, reject) => {
        execFile(
          process.execPath,
          ['--input-type=module', '-e', childScript(impl.module)],
          { cwd: root, timeout: 15_000 },
          (err, stdout, stderr) =>
            err === null ? resolve({ stdout }) : reject(new Error(`${err.message}\n${stderr}`)),
        );
      });
      assert.equal(stdout.trim(), 'closed');
    });
  });
}

for (const impl of SERVER_IMPLEMENTATIONS) {
  describe(`socket and namespace lifecycle on ${impl.name}`, () => {
    const servers: TestServer[] = [];
    after(async () => {
      for (const server of servers) await server.close();
    });
    const start = async (opts = {}): Promise<TestServer> => {
      const server = await startServer(opts, 0, impl.create);
      servers.push(server);
      return server;
    };

    test('socket.leaveAll() leaves every room, its own id included', async () => {
      const server = await start();
      server.io.on('connection', (socket) => {
        void socket.join(['a', 'b']);
        socket.leaveAll();
        socket.emit('rooms', [...socket.rooms]);
      });
      const client = server.client();
      assert.deepEqual(await waitFor(client, 'rooms'), [[]]);
    });

    test('a dynamic child namespace whose middleware refuses the client is removed with cleanupEmptyChildNamespaces', async () => {
      const server = await start({ cleanupEmptyChildNamespaces: true });
      server.io.of(/^\/dyn-\d+$/).use((_socket, next) => next(new Error('no')));
      const client = server.client('/dyn-1');
      await waitFor(client, 'connect_error');
      assert.equal(server.io._nsps.has('/dyn-1'), false);
    });

    test('socket.connected is false while the middlewares run, true on connection', async () => {
      const server = await start();
      const seen: boolean[] = [];
      server.io.use((socket, next) => {
        seen.push(socket.connected);
        next();
      });
      server.io.on('connection', (socket) => {
        seen.push(socket.connected);
        socket.emit('ready');
      });
      await waitFor(server.client(), 'ready');
      assert.deepEqual(seen, [false, true]);
    });

    test('a chained broadcast operator leaves the one it came from unchanged', async () => {
      const server = await start();
      server.io.on('connection', (socket) => void socket.join(socket.handshake.auth['room'] as string));
      const inA = server.client('/', { auth: { room: 'a' } });
      const inB = server.client('/', { auth: { room: 'b' } });
      await Promise.all([waitFor(inA, 'connect'), waitFor(inB, 'connect')]);
      const toA = server.io.to('a');
      const toAandB = toA.to('b');
      const heardByA: unknown[] = [];
      const heardByB: unknown[] = [];
      inA.on('news', (what: unknown) => heardByA.push(what));
      inB.on('news', (what: unknown) => heardByB.push(what));
      const ends = Promise.all([waitFor(inA, 'end'), waitFor(inB, 'end')]);
      toA.emit('news', 'only a');
      toAandB.emit('news', 'a and b');
      server.io.emit('end');
      await ends;
      assert.deepEqual(heardByA, ['only a', 'a and b']);
      assert.deepEqual(heardByB, ['a and b']);
    });
  });
}
