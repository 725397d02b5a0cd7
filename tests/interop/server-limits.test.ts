// What one client can make our server hold (the limits of docs/errors.md): raw peers pushing each limit, every other
// connection unaffected. Our server only: socket.io 4.8 has none of these limits (it holds whatever it is sent).
import assert from 'node:assert/strict';
import { after, afterEach, describe, test } from 'node:test';
import type { Socket, ServerOptions } from '@switchboard/server';
import { RawPeer, startServer, waitFor, within, type TestServer } from './server-kit.js';

describe('server limits (ours only)', () => {
  const servers: TestServer[] = [];
  const peers: RawPeer[] = [];
  afterEach(() => {
    for (const peer of peers.splice(0)) peer.ws.terminate();
  });
  after(async () => {
    for (const server of servers) await server.close();
  });

  async function server(opts: Partial<ServerOptions>, setup?: (server: TestServer) => void): Promise<TestServer> {
    const started = await startServer(opts);
    servers.push(started);
    started.io.on('connection', (socket: Socket) => {
      socket.on('echo', (...args: unknown[]) => {
        const ack = args.pop();
        if (typeof ack === 'function') (ack as (...values: unknown[]) => void)(...args);
      });
    });
    setup?.(started);
    return started;
  }

  function peer(url: string): RawPeer {
    const created = new RawPeer(url);
    peers.push(created);
    return created;
  }

  async function assertOthersServed(started: TestServer): Promise<void> {
    const client = started.client();
    await waitFor(client, 'connect');
    assert.equal(await within(client.emitWithAck('echo', 'fine')), 'fine');
    client.disconnect();
  }

  test('a binary packet whose attachments add up past maxAttachmentBytes closes its connection', async () => {
    const started = await server({ maxAttachmentBytes: 100_000 });
    const p = peer(started.url);
    await p.open();
    p.send('453-["echo",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1},{"_placeholder":true,"num":2}]');
    p.send(Buffer.alloc(60_000));
    p.send(Buffer.alloc(60_000));
    await within(p.closed, 5000, 'close after 120,000 attachment bytes');
    await assertOthersServed(started);
  });

  test('attachments within maxAttachmentBytes are delivered', async () => {
    const started = await server({ maxAttachmentBytes: 100_000 });
    const p = peer(started.url);
    await p.open();
    p.send('452-1["echo",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]');
    p.send(Buffer.alloc(40_000));
    p.send(Buffer.alloc(40_000));
    await p.next((f) => f.startsWith('462-1['), 'the binary ack');
  });

  test('a binary packet still missing attachments after attachmentTimeout closes its connection', async () => {
    const started = await server({ attachmentTimeout: 150 });
    const p = peer(started.url);
    await p.open();
    p.send('452-["echo",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]');
    p.send(Buffer.from('only one'));
    await within(p.closed, 5000, 'close after attachmentTimeout');
    await assertOthersServed(started);
  });

  test('a CONNECT beyond maxNamespacesPerConnection gets "Too many namespaces"', async () => {
    const started = await server({ maxNamespacesPerConnection: 2 }, (s) => s.io.of(/^\/dyn-\d+$/));
    const p = peer(started.url);
    await p.open();
    p.send('40/dyn-1,');
    await p.next((f) => f.startsWith('40/dyn-1,{'), 'dyn-1 joined');
    p.send('40/dyn-2,');
    const refused = await p.next((f) => f.startsWith('44/dyn-2,'), 'dyn-2 refused');
    assert.equal(refused, '44/dyn-2,{"message":"Too many namespaces"}');
  });

  test('one connection cannot create more dynamic namespaces than maxNamespacesPerConnection over its life', async () => {
    const started = await server({ maxNamespacesPerConnection: 2 }, (s) => s.io.of(/^\/dyn-\d+$/));
    const p = peer(started.url);
    await p.open();
    for (let i = 1; i <= 2; i++) {
      p.send(`40/dyn-${i},`);
      await p.next((f) => f.startsWith(`40/dyn-${i},{`), `dyn-${i} joined`);
      p.send(`41/dyn-${i},`);
    }
    p.send('40/dyn-3,');
    assert.equal(
      await p.next((f) => f.startsWith('44/dyn-3,'), 'dyn-3 refused'),
      '44/dyn-3,{"message":"Too many namespaces"}',
    );
    assert.equal(started.io._nsps.has('/dyn-3'), false, 'the refused namespace was not created');
  });

  test('echoes a refused namespace name at most 256 characters long', async () => {
    const started = await server({});
    const p = peer(started.url);
    await p.open();
    const name = `/${'x'.repeat(10_000)}`;
    p.send(`40${name},`);
    const refused = await p.next((f) => f.startsWith('44/xxx'), 'the refusal');
    assert.equal(refused, `44${name.slice(0, 256)},{"message":"Invalid namespace"}`);
  });

  test('closes a connection after 20 refused CONNECTs', async () => {
    const started = await server({});
    const p = peer(started.url);
    await p.open();
    for (let i = 0; i < 30; i++) p.send(`40/nowhere-${i},`);
    await within(p.closed, 5000, 'close after repeated refusals');
    assert.equal(p.frames.filter((f) => f.startsWith('44/nowhere-')).length, 20);
    await assertOthersServed(started);
  });

  test('socket.join past maxRoomsPerSocket throws SIO_ERR_TOO_MANY_ROOMS and joins nothing', async () => {
    const started = await server({ maxRoomsPerSocket: 4 }, (s) =>
      s.io.on('connection', (socket: Socket) => {
        socket.on('join', (rooms: string[], ack: (result: unknown) => void) => {
          try {
            void socket.join(rooms);
            ack({ rooms: socket.rooms.size });
          } catch (err) {
            ack({ code: (err as { code?: string }).code, rooms: socket.rooms.size });
          }
        });
      }),
    );
    const client = started.client();
    await waitFor(client, 'connect');
    assert.deepEqual(await within(client.emitWithAck('join', ['a', 'b', 'c'])), { rooms: 4 });
    assert.deepEqual(await within(client.emitWithAck('join', ['a', 'd'])), {
      code: 'SIO_ERR_TOO_MANY_ROOMS',
      rooms: 4,
    });
  });

  test('an emit with an ack past maxPendingAcks throws SIO_ERR_TOO_MANY_PENDING_ACKS', async () => {
    let connected: Promise<unknown> = Promise.resolve();
    const thrown = new Promise<unknown>((resolve) => {
      void server({ maxPendingAcks: 2 }, (s) =>
        s.io.on('connection', (socket: Socket) => {
          socket.emit('never-answered', () => {});
          socket.emit('never-answered', () => {});
          try {
            socket.emit('never-answered', () => {});
            resolve('no error');
          } catch (err) {
            resolve((err as { code?: string }).code);
          }
        }),
      ).then((started) => {
        connected = waitFor(started.client(), 'connect');
      });
    });
    assert.equal(await within(thrown), 'SIO_ERR_TOO_MANY_PENDING_ACKS');
    await connected;
  });

  test('rateLimit drop: packets over the allowance are dropped and reported as SIO_ERR_RATE_LIMITED', async () => {
    const errors: string[] = [];
    const received: number[] = [];
    const started = await server({ rateLimit: { packets: 1, intervalMs: 60_000, burst: 3 } }, (s) =>
      s.io.on('connection', (socket: Socket) => {
        socket.on('n', (n: number) => received.push(n));
        socket.on('error', (err: Error & { code?: string }) => errors.push(err.code ?? ''));
      }),
    );
    const client = started.client();
    await waitFor(client, 'connect');
    for (let n = 1; n <= 6; n++) client.emit('n', n);
    const deadline = Date.now() + 5000;
    while (errors.length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.deepEqual(received, [1, 2, 3]);
    assert.deepEqual(errors, ['SIO_ERR_RATE_LIMITED', 'SIO_ERR_RATE_LIMITED', 'SIO_ERR_RATE_LIMITED']);
    assert.equal(client.connected, true);
  });

  test('rateLimit disconnect: the socket over the allowance is disconnected with reason "rate limit exceeded"', async () => {
    let serverReason: Promise<unknown[]> | undefined;
    const started = await server({ rateLimit: { packets: 2, intervalMs: 60_000, action: 'disconnect' } }, (s) =>
      s.io.on('connection', (socket: Socket) => {
        serverReason = waitFor(socket, 'disconnect');
      }),
    );
    const client = started.client();
    await waitFor(client, 'connect');
    const clientReason = waitFor(client, 'disconnect');
    for (let n = 1; n <= 3; n++) client.emit('n', n);
    assert.equal((await clientReason)[0], 'io server disconnect');
    assert.equal((await serverReason!)[0], 'rate limit exceeded');
  });
});
