// @switchboard/client facing a misbehaving server (the official engine.io 6.6 server sending bad Socket.IO packets):
// the connection closes with `parse error` or `connect_error`, nothing throws into user code.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server as EngineServer, type Socket as EngineSocket } from 'engine.io';
import { io, type Socket } from '@switchboard/client';
import { waitFor } from './client-support.js';

describe('client against a server sending bad packets', () => {
  let http: HttpServer;
  let engine: EngineServer;
  let url: string;
  const sockets: Socket[] = [];
  // What the fake server answers to a CONNECT, by the `reply` query parameter of the connection.
  const replies: Record<string, string[]> = {
    'bad-json': ['0{"sid":"abc"}', '2["news",{"unterminated'],
    'unknown-type': ['0{"sid":"abc"}', '9'],
    'v2-connect': ['0'],
    'other-namespace': ['0{"sid":"abc"}', '2/elsewhere,["ignored"]', '2["seen"]'],
  };

  before(async () => {
    http = createServer();
    engine = new EngineServer({ pingInterval: 2000, pingTimeout: 2000 });
    engine.attach(http, { path: '/socket.io/' });
    engine.on('connection', (socket: EngineSocket) => {
      const reply = replies[String(socket.request.url).match(/reply=([\w-]+)/)?.[1] ?? ''] ?? [];
      socket.on('message', (data: string) => {
        if (data.startsWith('0')) for (const packet of reply) socket.send(packet);
      });
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });
  after(async () => {
    for (const socket of sockets) socket.disconnect();
    engine.close();
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
  });

  const connect = (reply: string): Socket => {
    const socket = io(url, { forceNew: true, reconnection: false, query: { reply }, transports: ['websocket'] });
    sockets.push(socket);
    return socket;
  };

  test('disconnects with "parse error" when an event carries invalid JSON', async () => {
    const socket = connect('bad-json');
    // The bad packet follows the CONNECT answer at once: listen for both before either arrives.
    const disconnected = waitFor(socket, 'disconnect');
    await waitFor(socket, 'connect');
    const [reason, description] = (await disconnected) as [string, Error & { code?: string }];
    assert.equal(reason, 'parse error');
    assert.equal(description.code, 'CODEC_ERR_INVALID_JSON');
  });

  test('disconnects with "parse error" on an unknown packet type', async () => {
    const socket = connect('unknown-type');
    const disconnected = waitFor(socket, 'disconnect');
    await waitFor(socket, 'connect');
    const [reason] = await disconnected;
    assert.equal(reason, 'parse error');
  });

  test('reports a CONNECT answer without a session id as connect_error', async () => {
    const socket = connect('v2-connect');
    const [err] = (await waitFor(socket, 'connect_error')) as [Error & { code?: string }];
    assert.equal(err.code, 'SIO_ERR_UNSUPPORTED_SERVER');
  });

  test('ignores packets for a namespace it has not joined', async () => {
    const socket = connect('other-namespace');
    const heard: unknown[] = [];
    socket.onAny((...args: unknown[]) => heard.push(args));
    await waitFor(socket, 'seen');
    assert.deepEqual(heard, [['seen']]);
  });
});
