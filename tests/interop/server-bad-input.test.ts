// Hostile or broken peers (raw WebSocket speaking Engine.IO by hand): answered per protocol, nobody else affected.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { Socket as EngineClientSocket } from 'engine.io-client';
import type { Socket } from '@switchboard/server';
import { RawPeer, SERVER_IMPLEMENTATIONS, startServer, waitFor, within, type TestServer } from './server-kit.js';

for (const impl of SERVER_IMPLEMENTATIONS)
  describe(`server facing bad input: ${impl.name}`, () => {
    let server: TestServer;
    const peers: RawPeer[] = [];
    before(async () => {
      server = await startServer({ pingInterval: 200, pingTimeout: 200 }, 0, impl.create);
      server.io.on('connection', (socket: Socket) => {
        socket.on('echo', (value: unknown, ack?: (v: unknown) => void) => ack?.(value));
      });
    });
    after(async () => {
      for (const peer of peers) peer.ws.terminate();
      await server.close();
    });

    function peer(): RawPeer {
      const created = new RawPeer(server.url);
      peers.push(created);
      return created;
    }

    /** A well-behaved official client that must keep working while others misbehave. */
    async function assertOthersUnaffected(): Promise<void> {
      const client = server.client();
      await waitFor(client, 'connect');
      assert.equal(await within(client.emitWithAck('echo', 'still fine')), 'still fine');
      client.disconnect();
    }

    test('the CONNECT reply carries a fresh socket id, not the engine session id', async () => {
      const p = peer();
      await p.open();
      const open = JSON.parse((p.frames[0] as string).slice(1)) as { sid: string };
      const reply = JSON.parse((p.frames.find((f) => f.startsWith('40{')) as string).slice(2)) as { sid: string };
      assert.equal(typeof reply.sid, 'string');
      assert.notEqual(reply.sid, open.sid);
      p.send('421["echo","x"]');
      assert.equal(await p.next((f) => f.startsWith('431'), 'ack'), '431["x"]');
    });

    test('an unknown namespace gets CONNECT_ERROR "Invalid namespace" and the connection stays usable', async () => {
      const p = peer();
      await p.open();
      p.send('40/random,');
      assert.equal(
        await p.next((f) => f.startsWith('44'), 'connect error'),
        '44/random,{"message":"Invalid namespace"}',
      );
      p.send('422["echo","alive"]');
      assert.equal(await p.next((f) => f.startsWith('432'), 'ack after error'), '432["alive"]');
    });

    test(
      'a CONNECT repeated while the first waits in a middleware is ignored, also with two namespaces joining at once',
      { skip: !impl.precise },
      async () => {
        const delayed = (socket: Socket, next: (err?: Error) => void): void => void setTimeout(next, 50);
        server.io.of('/slow-a').use(delayed);
        server.io.of('/slow-b').use(delayed);
        const p = peer();
        await p.open();
        p.send('40/slow-a,');
        p.send('40/slow-b,');
        p.send('40/slow-a,');
        await p.next((f) => f.startsWith('40/slow-a,{'), 'CONNECT reply of /slow-a');
        await p.next((f) => f.startsWith('40/slow-b,{'), 'CONNECT reply of /slow-b');
        // Longer than the middleware's delay: a second socket for the repeated CONNECT would have answered by now.
        await new Promise((resolve) => setTimeout(resolve, 150));
        const replies = p.frames.filter((f) => f.startsWith('40/slow-a,') || f.startsWith('40/slow-b,'));
        assert.deepEqual(
          replies.map((f) => f.slice(0, f.indexOf(',') + 1)),
          ['40/slow-a,', '40/slow-b,'],
        );
      },
    );

    test('an ack for an id the server never sent is ignored', async () => {
      const p = peer();
      await p.open();
      p.send('4399["nobody asked"]');
      p.send('423["echo",1]');
      assert.equal(await p.next((f) => f.startsWith('433'), 'ack'), '433[1]');
    });

    for (const [label, frames] of [
      ['malformed JSON', ['42["echo",']],
      ['an unknown packet type', ['49["x"]']],
      ['an event named connect', ['42["connect"]']],
      ['an event for a namespace it never joined', ['42/elsewhere,["x"]']],
      [
        'a binary header followed by text instead of its attachment',
        ['451-["echo",{"_placeholder":true,"num":0}]', '42["echo"]'],
      ],
      ['a placeholder index out of range', ['451-["echo",{"_placeholder":true,"num":5}]', Buffer.from([1])]],
      ['a CONNECT whose payload is not an object', ['40"text"']],
      ['a CONNECT_ERROR, which only servers send', ['44{"message":"from a client"}']],
    ] as const) {
      test(`${label} closes that connection only`, async () => {
        const p = peer();
        await p.open();
        for (const frame of frames) p.send(frame);
        await within(p.closed, 5000, 'connection closed');
        await assertOthersUnaffected();
      });
    }

    test('a binary header whose attachment never comes leaves the connection open and others unaffected', async () => {
      const p = peer();
      await p.open();
      p.send('451-["echo",{"_placeholder":true,"num":0}]');
      await assertOthersUnaffected();
      assert.equal(p.ws.readyState, WebSocket.OPEN);
      p.send(Buffer.from([1, 2, 3]));
    });

    // socket.io reports 'forced close' here; its documentation (and Switchboard) say 'parse error'.
    test('the server sees the reason "parse error" for an undecodable packet', { skip: !impl.precise }, async () => {
      const reason = new Promise<string>((resolve) =>
        server.io.once('connection', (socket: Socket) => socket.once('disconnect', resolve)),
      );
      const p = peer();
      await p.open();
      p.send('42{not json');
      assert.equal(await within(reason), 'parse error');
    });

    // socket.io closes the engine first and so reports 'forced close'; Switchboard names the server's decision.
    test(
      'a packet for a namespace the peer never joined gives its sockets "forced server close"',
      { skip: !impl.precise },
      async () => {
        const reason = new Promise<string>((resolve) =>
          server.io.once('connection', (socket: Socket) => socket.once('disconnect', resolve)),
        );
        const p = peer();
        await p.open();
        p.send('42/never-joined,["x"]');
        assert.equal(await within(reason), 'forced server close');
      },
    );

    test('a frame over maxHttpBufferSize gives the server "transport error"', async () => {
      const small = await startServer({ maxHttpBufferSize: 100 }, 0, impl.create);
      try {
        const reason = new Promise<string>((resolve) =>
          small.io.once('connection', (socket: Socket) => socket.once('disconnect', resolve)),
        );
        const p = new RawPeer(small.url);
        await p.open();
        p.send(`42["big","${'x'.repeat(500)}"]`);
        assert.equal(await within(reason), 'transport error');
        p.ws.terminate();
      } finally {
        await small.close();
      }
    });

    test('a raw engine.io-client over polling sending a malformed packet is closed; others are unaffected', async () => {
      const raw = new EngineClientSocket(server.url, { path: '/socket.io/', transports: ['polling'] });
      try {
        await waitFor(raw, 'open');
        // engine.io-client adds the Engine.IO message type (4): these are the Socket.IO packets 0 and 2 alone.
        raw.send('0');
        await waitFor(raw, 'message');
        const closed = waitFor(raw, 'close');
        raw.send('2["echo",{bad');
        await closed;
        await assertOthersUnaffected();
      } finally {
        raw.close();
      }
    });

    test('a peer that stops answering pings is disconnected with "ping timeout"', async () => {
      const reason = new Promise<string>((resolve) =>
        server.io.once('connection', (socket: Socket) => socket.once('disconnect', resolve)),
      );
      const ws = new WebSocket(`${server.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
      ws.once('message', () => ws.send('40'));
      assert.equal(await within(reason, 5000), 'ping timeout');
      ws.terminate();
    });

    test('a connection that joins no namespace within connectTimeout is closed', async () => {
      const quick = await startServer({ connectTimeout: 100 }, 0, impl.create);
      try {
        const ws = new WebSocket(`${quick.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
        await within(new Promise((resolve) => ws.once('close', resolve)), 5000, 'close after connectTimeout');
      } finally {
        await quick.close();
      }
    });

    test('io.connectTimeout(ms) leaves connections already waiting with their own deadline', async () => {
      const quick = await startServer({ connectTimeout: 150 }, 0, impl.create);
      try {
        const ws = new WebSocket(`${quick.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
        await within(new Promise((resolve) => ws.once('open', resolve)), 5000, 'WebSocket open');
        quick.io.connectTimeout(60_000);
        await within(new Promise((resolve) => ws.once('close', resolve)), 5000, 'close after the first connectTimeout');
      } finally {
        await quick.close();
      }
    });
  });
