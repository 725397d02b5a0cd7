// @switchboard/client's Manager against real sockets: connect timeout, giving up after reconnectionAttempts,
// Node option plumbing (keep-alive agent, extra headers) with the official socket.io 4.8 server.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { createServer, type Server as TcpServer, type Socket as TcpSocket } from 'node:net';
import type { AddressInfo } from 'node:net';
import * as officialParser from 'socket.io-parser';
import { io, Manager, type Socket } from '@switchboard/client';
import { startOfficialServer, until, waitFor, type OfficialServer } from './client-support.js';

describe('client Manager', () => {
  const servers: OfficialServer[] = [];
  const sockets: Socket[] = [];
  const tcpServers: TcpServer[] = [];
  const tcpConnections: TcpSocket[] = [];
  after(async () => {
    for (const socket of sockets) socket.disconnect();
    for (const connection of tcpConnections) connection.destroy();
    await Promise.all([
      ...servers.map((server) => server.close()),
      ...tcpServers.map((server) => new Promise((resolve) => server.close(resolve))),
    ]);
  });

  /** A TCP server that accepts connections and never answers: the handshake can only time out. */
  async function silentServer(): Promise<string> {
    const server = createServer((connection) => tcpConnections.push(connection));
    tcpServers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  test('fails connecting with a coded timeout error when the server never answers within timeout', async () => {
    const socket = io(await silentServer(), { forceNew: true, reconnection: false, timeout: 100 });
    sockets.push(socket);
    const [err] = (await waitFor(socket, 'connect_error')) as [Error & { code?: string }];
    assert.equal(err.message, 'timeout');
    assert.equal(err.code, 'SIO_ERR_CONNECT_TIMEOUT');
  });

  test('emits reconnect_failed after reconnectionAttempts failed attempts, and stops', async () => {
    const socket = io(await silentServer(), {
      forceNew: true,
      timeout: 50,
      reconnectionAttempts: 2,
      reconnectionDelay: 10,
      randomizationFactor: 0,
    });
    sockets.push(socket);
    const attempts: number[] = [];
    socket.io.on('reconnect_attempt', (n) => attempts.push(n));
    let errors = 0;
    socket.io.on('reconnect_error', () => {
      errors++;
    });
    await waitFor(socket.io, 'reconnect_failed');
    assert.deepEqual(attempts, [1, 2]);
    assert.equal(errors, 2);
  });

  test('connects with open(callback) when autoConnect is off, and reports the engine through manager.engine', async () => {
    const server = await startOfficialServer();
    servers.push(server);
    const manager = new Manager(server.url, { autoConnect: false, transports: ['websocket'] });
    assert.equal(manager.reconnectionDelay(), 1000);
    assert.equal(manager.reconnectionDelayMax(), 5000);
    assert.equal(manager.randomizationFactor(), 0.5);
    assert.equal(manager.timeout(), 20000);
    const err = await new Promise<Error | undefined>((resolve) => manager.open(resolve));
    assert.equal(err, undefined);
    assert.equal(manager.engine.transport.name, 'websocket');
    const socket = manager.socket('/');
    sockets.push(socket);
    socket.connect();
    await waitFor(socket, 'connect');
  });

  test('passes Node options through to the engine: polling runs over the given keep-alive agent with extra headers', async () => {
    const server = await startOfficialServer();
    servers.push(server);
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    let created = 0;
    const createConnection = agent.createConnection.bind(agent);
    agent.createConnection = (...args: Parameters<typeof createConnection>) => {
      created++;
      return createConnection(...args);
    };
    const headers: string[] = [];
    server.io.engine.on('initial_headers', (_h: unknown, req: { headers: Record<string, string> }) => {
      headers.push(req.headers['x-client'] ?? '');
    });
    server.io.on('connection', (s) => s.on('ping?', (ack: (reply: string) => void) => ack('pong')));
    const socket = io(server.url, {
      forceNew: true,
      reconnection: false,
      transports: ['polling'],
      agent,
      extraHeaders: { 'x-client': 'switchboard' },
    });
    sockets.push(socket);
    await waitFor(socket, 'connect');
    for (let i = 0; i < 10; i++) assert.equal(await socket.timeout(2000).emitWithAck('ping?'), 'pong');
    assert.deepEqual(headers, ['switchboard']);
    assert.ok(created >= 1, 'the agent made the connections');
    // One long-polling GET and one POST at a time: keep-alive reuses the same few connections.
    assert.ok(created <= 3, `${created} connections for ~12 requests`);
    agent.destroy();
  });

  test('speaks through a custom socket.io-parser shaped codec (the official socket.io-parser, passed as is), binary included', async () => {
    const server = await startOfficialServer();
    servers.push(server);
    server.io.on('connection', (s) => s.on('echo', (data: unknown, ack: (d: unknown) => void) => ack(data)));
    const socket = io(server.url, { forceNew: true, reconnection: false, parser: officialParser });
    sockets.push(socket);
    await waitFor(socket, 'connect');
    const reply = (await socket.timeout(2000).emitWithAck('echo', { bytes: new Uint8Array([1, 2, 3]) })) as {
      bytes: Uint8Array;
    };
    assert.deepEqual([...reply.bytes], [1, 2, 3]);
  });

  test('emits ping on each server heartbeat and packet for each decoded packet', async () => {
    const server = await startOfficialServer({ pingInterval: 50, pingTimeout: 1000 });
    servers.push(server);
    const socket = io(server.url, { forceNew: true, reconnection: false, transports: ['websocket'] });
    sockets.push(socket);
    const packets: unknown[] = [];
    socket.io.on('packet', (packet) => packets.push(packet));
    await waitFor(socket, 'connect');
    await waitFor(socket.io, 'ping');
    assert.equal((packets[0] as { type: number }).type, 0, 'the CONNECT answer came through the packet event');
  });

  test('reuses a cached Manager for a second namespace, and opens a new one with multiplex: false', async () => {
    const server = await startOfficialServer();
    servers.push(server);
    server.io.of('/other');
    const a = io(server.url, { reconnection: false });
    const b = io(`${server.url}/other`, { reconnection: false });
    const c = io(`${server.url}/other`, { reconnection: false, multiplex: false });
    sockets.push(a, b, c);
    assert.equal(a.io, b.io);
    assert.notEqual(b.io, c.io);
    await Promise.all([waitFor(a, 'connect'), waitFor(b, 'connect'), waitFor(c, 'connect')]);
    await until(() => server.io.engine.clientsCount === 2);
  });
});
