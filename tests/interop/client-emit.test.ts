// @switchboard/client against the official socket.io 4.8 server: events, acks, binary, rooms, volatile, timeouts, buffering.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { io, type Socket } from '@switchboard/client';
import { startOfficialServer, TRANSPORT_SETUPS, until, waitFor, type OfficialServer } from './client-support.js';

for (const setup of TRANSPORT_SETUPS) {
  describe(`client events over ${setup.name}`, () => {
    let server: OfficialServer;
    const sockets: Socket[] = [];
    const connect = async (opts: Parameters<typeof io>[1] = {}): Promise<Socket> => {
      const socket = io(server.url, { forceNew: true, reconnection: false, ...setup.opts, ...opts });
      sockets.push(socket);
      await waitFor(socket, 'connect');
      return socket;
    };

    before(async () => {
      server = await startOfficialServer();
      server.io.on('connection', (socket) => {
        socket.on('echo', (...args: unknown[]) => {
          const ack = args.pop() as (...a: unknown[]) => void;
          ack(...args);
        });
        socket.on('record', (...args: unknown[]) => socket.emit('recorded', ...args));
        socket.on('ask me', (question: string) => {
          socket.emit('question', question, (answer: unknown) => socket.emit('answered', answer));
        });
        socket.on('join', (room: string, ack: () => void) => {
          void socket.join(room);
          ack();
        });
        socket.on('shout', (room: string, text: string) => server.io.to(room).emit('shouted', text));
        socket.on('never acks', () => undefined);
      });
    });
    after(async () => {
      for (const socket of sockets) socket.disconnect();
      await server.close();
    });

    test('emits several arguments and receives the acknowledgement with several values', async () => {
      const socket = await connect();
      const reply = await new Promise<unknown[]>((resolve) => {
        socket.emit('echo', 1, 'two', { three: [3] }, null, (...args: unknown[]) => resolve(args));
      });
      assert.deepEqual(reply, [1, 'two', { three: [3] }, null]);
    });

    test('answers an acknowledgement requested by the server', async () => {
      const socket = await connect();
      socket.on('question', (question: string, ack: (answer: string) => void) => ack(`${question}? yes`));
      const answered = waitFor(socket, 'answered');
      socket.emit('ask me', 'ready');
      assert.deepEqual(await answered, ['ready? yes']);
    });

    test('sends and receives binary buffers nested in objects', async () => {
      const socket = await connect();
      const payload = { file: { name: 'a.bin', bytes: new Uint8Array([0, 1, 2, 255]) }, list: [new Uint8Array([9])] };
      const echoed: unknown = await socket.emitWithAck('echo', payload);
      const value = echoed as { file: { name: string; bytes: Uint8Array }; list: Uint8Array[] };
      assert.equal(value.file.name, 'a.bin');
      assert.deepEqual([...value.file.bytes], [0, 1, 2, 255]);
      assert.deepEqual([...(value.list[0] ?? [])], [9]);
    });

    test('receives binary that the server emits', async () => {
      const socket = await connect();
      const recorded = waitFor(socket, 'recorded');
      socket.emit('record', 'text', { deep: { data: new Uint8Array([7, 8]) } });
      const [text, obj] = (await recorded) as [string, { deep: { data: Uint8Array } }];
      assert.equal(text, 'text');
      assert.deepEqual([...new Uint8Array(obj.deep.data)], [7, 8]);
    });

    test('receives broadcasts to a room it joined, and not those to other rooms', async () => {
      const [inside, outside] = await Promise.all([connect(), connect()]);
      await inside.emitWithAck('join', 'lobby');
      const heard: string[] = [];
      outside.on('shouted', (text: string) => heard.push(text));
      const shouted = waitFor(inside, 'shouted');
      outside.emit('shout', 'lobby', 'hello lobby');
      assert.deepEqual(await shouted, ['hello lobby']);
      // The outside socket's own events are ordered: its next echo returns after any broadcast would have arrived.
      await outside.emitWithAck('echo');
      assert.deepEqual(heard, []);
    });

    test('drops a volatile emit while the transport cannot write, and buffers a regular one', () => {
      const socket = io(server.url, { forceNew: true, autoConnect: false, ...setup.opts });
      sockets.push(socket);
      socket.volatile.emit('record', 'dropped');
      socket.emit('record', 'kept');
      assert.deepEqual(
        socket.sendBuffer.map((packet) => packet.data),
        [['record', 'kept']],
      );
    });

    test('sends a volatile emit when connected', async () => {
      const socket = await connect();
      const recorded = waitFor(socket, 'recorded');
      socket.volatile.emit('record', 'sent');
      assert.deepEqual(await recorded, ['sent']);
    });

    test('rejects emitWithAck with a coded timeout error when no acknowledgement comes', async () => {
      const socket = await connect();
      await assert.rejects(socket.timeout(100).emitWithAck('never acks'), (err: Error & { code?: string }) => {
        assert.equal(err.message, 'operation has timed out');
        assert.equal(err.code, 'SIO_ERR_ACK_TIMEOUT');
        return true;
      });
    });

    test('gives timeout() acknowledgements a null error first when the answer comes in time', async () => {
      const socket = await connect();
      const args = await new Promise<unknown[]>((resolve) => {
        socket.timeout(2000).emit('echo', 'x', (...a: unknown[]) => resolve(a));
      });
      assert.deepEqual(args, [null, 'x']);
    });

    test('buffers emits made before connecting and sends them in order once connected', async () => {
      const socket = io(server.url, { forceNew: true, reconnection: false, autoConnect: false, ...setup.opts });
      sockets.push(socket);
      const received: unknown[] = [];
      socket.on('recorded', (n: unknown) => received.push(n));
      for (let i = 0; i < 5; i++) socket.emit('record', i);
      assert.equal(socket.sendBuffer.length, 5);
      socket.connect();
      await until(() => received.length === 5);
      assert.deepEqual(received, [0, 1, 2, 3, 4]);
      assert.equal(socket.sendBuffer.length, 0);
    });

    test('calls catch-all listeners for incoming and outgoing events', async () => {
      const socket = await connect();
      const incoming: unknown[][] = [];
      const outgoing: unknown[][] = [];
      socket.onAny((...args: unknown[]) => incoming.push(args));
      socket.onAnyOutgoing((...args: unknown[]) => outgoing.push(args));
      const recorded = waitFor(socket, 'recorded');
      socket.emit('record', 42);
      await recorded;
      assert.deepEqual(outgoing, [['record', 42]]);
      assert.deepEqual(incoming, [['recorded', 42]]);
      assert.equal(socket.listenersAny().length, 1);
      socket.offAny().offAnyOutgoing();
      assert.equal(socket.listenersAny().length + socket.listenersAnyOutgoing().length, 0);
    });

    test('runs prepended catch-all listeners first and removes one listener by reference', async () => {
      const socket = await connect();
      const order: string[] = [];
      const second = (): void => void order.push('second');
      socket.onAny(second);
      socket.prependAny(() => order.push('first'));
      const recorded = waitFor(socket, 'recorded');
      socket.emit('record', 1);
      await recorded;
      assert.deepEqual(order, ['first', 'second']);
      socket.offAny(second);
      assert.equal(socket.listenersAny().length, 1);
    });

    test('refuses to emit a reserved event name', async () => {
      const socket = await connect();
      assert.throws(() => socket.emit('disconnect'), { code: 'SIO_ERR_RESERVED_EVENT' });
    });
  });
}
