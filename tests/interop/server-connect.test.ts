// Connecting official socket.io-client 4.8 to the Switchboard server: handshake, namespaces, events and acks.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Socket } from '@switchboard/server';
import { SERVER_IMPLEMENTATIONS, startServer, waitFor, within, type TestServer } from './server-kit.js';

// Each suite runs against the official server too: passing there proves its expectations.
for (const impl of SERVER_IMPLEMENTATIONS)
  describe(`server connect and emit: ${impl.name}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startServer({}, 0, impl.create);
    });
    after(() => server.close());

    for (const transports of [['websocket'], ['polling']]) {
      test(`a client connects over ${transports[0]} and both sides agree on the socket id`, async () => {
        const serverSide = waitFor<[Socket]>(server.io, 'connection');
        const client = server.client('/', { transports });
        await waitFor(client, 'connect');
        const [socket] = await serverSide;
        assert.equal(socket.id, client.id);
        assert.equal(socket.connected, true);
        assert.equal(socket.handshake.address.includes('127.0.0.1'), true);
        assert.equal(socket.rooms.has(socket.id), true);
        client.disconnect();
      });
    }

    test('an event from the client reaches the server with its ack, and the ack answer reaches the client', async () => {
      server.io.once('connection', (socket: Socket) => {
        socket.on('sum', (a: number, b: number, ack: (n: number) => void) => ack(a + b));
      });
      const client = server.client();
      await waitFor(client, 'connect');
      const result = await within(client.emitWithAck('sum', 2, 3));
      assert.equal(result, 5);
      client.disconnect();
    });

    test('an event from the server with an ack callback gets the client answer', async () => {
      const connected = waitFor<[Socket]>(server.io, 'connection');
      const client = server.client();
      client.on('ask', (question: string, ack: (answer: string) => void) => ack(`${question}!`));
      const [socket] = await connected;
      const answer = await within(socket.emitWithAck('ask', 'hi'));
      assert.equal(answer, 'hi!');
      client.disconnect();
    });

    test('socket.timeout(ms).emit gives the callback an error when the client never acks', async () => {
      const connected = waitFor<[Socket]>(server.io, 'connection');
      const client = server.client();
      client.on('ignored', () => {});
      const [socket] = await connected;
      await assert.rejects(socket.timeout(50).emitWithAck('ignored'), (err: Error & { code?: string }) => {
        assert.equal(err.message, 'operation has timed out');
        if (impl.precise) assert.equal(err.code, 'SIO_ERR_ACK_TIMEOUT');
        return true;
      });
      client.disconnect();
    });

    test('binary nested in objects arrives intact in both directions', async () => {
      const connected = waitFor<[Socket]>(server.io, 'connection');
      const client = server.client();
      const [socket] = await connected;
      socket.on('upload', (payload: { name: string; parts: Buffer[] }, ack: (x: unknown) => void) => {
        ack({ size: payload.parts.reduce((n, part) => n + part.length, 0), echo: payload.parts[1] });
      });
      const reply = (await within(
        client.emitWithAck('upload', { name: 'f', parts: [Buffer.from([1, 2]), Buffer.from([3, 4, 5])] }),
      )) as { size: number; echo: ArrayBuffer | Buffer };
      assert.equal(reply.size, 5);
      assert.deepEqual([...new Uint8Array(reply.echo)], [3, 4, 5]);
      const received = waitFor<[{ nested: { bytes: Buffer } }]>(client, 'download');
      socket.emit('download', { nested: { bytes: Buffer.from('hey') } });
      const [payload] = await received;
      assert.equal(Buffer.from(payload.nested.bytes).toString(), 'hey');
      client.disconnect();
    });

    test('onAny and onAnyOutgoing see incoming and outgoing events', async () => {
      const connected = waitFor<[Socket]>(server.io, 'connection');
      const client = server.client();
      const [socket] = await connected;
      const incoming: unknown[][] = [];
      const outgoing: unknown[][] = [];
      socket.onAny((...args) => incoming.push(args));
      socket.onAnyOutgoing((...args) => outgoing.push(args));
      const echoed = waitFor(client, 'pong');
      socket.on('ping', () => socket.emit('pong', 1));
      client.emit('ping', 'x');
      await echoed;
      assert.deepEqual(incoming, [['ping', 'x']]);
      assert.deepEqual(outgoing, [['pong', 1]]);
      assert.equal(socket.listenersAny().length, 1);
      socket.offAny();
      assert.equal(socket.listenersAny().length, 0);
      client.disconnect();
    });

    test('emitting a reserved event name throws a typed error', async () => {
      const connected = waitFor<[Socket]>(server.io, 'connection');
      const client = server.client();
      const [socket] = await connected;
      const reserved = (name: string) => (err: Error & { code?: string }) => {
        assert.equal(err.message, `"${name}" is a reserved event name`);
        if (impl.precise) assert.equal(err.code, 'SIO_ERR_RESERVED_EVENT');
        return true;
      };
      assert.throws(() => (socket.emit as (ev: string) => boolean)('disconnect'), reserved('disconnect'));
      assert.throws(() => (server.io.emit as (ev: string) => boolean)('connect'), reserved('connect'));
      client.disconnect();
    });
  });
