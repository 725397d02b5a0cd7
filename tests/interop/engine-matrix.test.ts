// One Engine.IO suite for every server/client pairing that involves our code, over each transport mode:
// {our server + official client, official server + our client, ours + ours} x {polling, websocket, upgrade},
// plus official + official as the control that proves the suite.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it, type TestContext } from 'node:test';
import { attach, type Clock } from '@switchboard/engine';
import { Socket as OurClientSocket } from '@switchboard/engine-client';
import { Socket as OfficialClientSocket } from 'engine.io-client';
import { collect, normalise, silenceOfficialSocket, startOfficialServer, waitFor } from './engine-client-helpers.js';

/** The engine.io v6 server-socket API both servers share. */
interface ServerSocket {
  id: string;
  readyState: string;
  send(data: string | Uint8Array): unknown;
  on(event: string, listener: (...args: never[]) => void): unknown;
  once(event: string, listener: (...args: never[]) => void): unknown;
  close(): unknown;
}

/** The engine.io-client v6 API both clients share. */
interface ClientSocket {
  readyState: string;
  transport: { name: string; send(packets: { type: string }[]): void; emit(event: string): unknown };
  send(data: string | Uint8Array): unknown;
  on(event: string, listener: (...args: never[]) => void): unknown;
  once(event: string, listener: (...args: never[]) => void): unknown;
  close(): unknown;
}

interface TestServer {
  url: string;
  connection(): Promise<ServerSocket>;
  /** Stops pinging `socket` (and everything else the server times). */
  silence(socket: ServerSocket): void;
  close(): Promise<void>;
}

const heartbeat = { pingInterval: 200, pingTimeout: 150 };

async function startOurServer(): Promise<TestServer> {
  // The engine times heartbeats through its clock's interval; a gate on that interval silences the server.
  let frozen = false;
  const clock: Clock = {
    now: () => performance.now(),
    setInterval(callback, intervalMs) {
      const handle = setInterval(() => frozen || callback(), intervalMs);
      handle.unref();
      return handle;
    },
    clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
  };
  const http = createServer();
  const engine = attach(http, { ...heartbeat, clock });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    connection: async () => (await waitFor<[ServerSocket]>(engine, 'connection'))[0],
    silence: () => {
      frozen = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        engine.close();
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}

async function startOfficial(): Promise<TestServer> {
  const server = await startOfficialServer(heartbeat);
  return {
    url: server.url,
    connection: async () => (await waitFor<[ServerSocket]>(server.engine, 'connection'))[0],
    silence: (socket) => silenceOfficialSocket(socket as never),
    close: () => server.close(),
  };
}

type ClientOptions = { transports?: ('polling' | 'websocket')[] };
const clients = {
  ours: (url: string, opts: ClientOptions): ClientSocket => new OurClientSocket(url, opts) as unknown as ClientSocket,
  official: (url: string, opts: ClientOptions): ClientSocket => new OfficialClientSocket(url, opts),
};

/** Makes a client stop answering pings: its transport drops pongs and reports them written. */
function silenceClient(socket: ClientSocket): void {
  const transport = socket.transport;
  const send = transport.send.bind(transport);
  transport.send = (packets) => {
    const kept = packets.filter((packet) => packet.type !== 'pong');
    if (kept.length > 0) send(kept);
    else queueMicrotask(() => transport.emit('drain'));
  };
}

const pairings = [
  // The control: official against official proves the suite itself before it judges our code.
  { name: 'official server + official client (control)', server: startOfficial, client: clients.official },
  { name: 'our server + official client', server: startOurServer, client: clients.official },
  { name: 'official server + our client', server: startOfficial, client: clients.ours },
  { name: 'our server + our client', server: startOurServer, client: clients.ours },
];

const modes: { name: string; opts: ClientOptions; upgrades: boolean }[] = [
  { name: 'polling', opts: { transports: ['polling'] }, upgrades: false },
  { name: 'websocket', opts: { transports: ['websocket'] }, upgrades: false },
  { name: 'polling -> websocket', opts: {}, upgrades: true },
];

for (const pairing of pairings) {
  for (const mode of modes) {
    describe(`engine matrix: ${pairing.name}, ${mode.name}`, () => {
      /** A server and a connected client pair, both closed when the test ends. */
      async function connect(t: TestContext) {
        const server = await pairing.server();
        const serverSocket = server.connection();
        const client = pairing.client(server.url, mode.opts);
        t.after(async () => {
          client.close();
          await server.close();
        });
        await waitFor(client, 'open');
        if (mode.upgrades) await waitFor(client, 'upgrade');
        return { server, client, serverSocket: await serverSocket };
      }

      it(`connects and settles on ${mode.upgrades ? 'websocket' : mode.name}`, async (t) => {
        const { client, serverSocket } = await connect(t);
        assert.equal(client.transport.name, mode.upgrades ? 'websocket' : mode.name);
        assert.equal(client.readyState, 'open');
        assert.equal(serverSocket.readyState, 'open');
      });

      it('exchanges text and binary messages both ways in order', async (t) => {
        const server = await pairing.server();
        const connection = server.connection();
        const client = pairing.client(server.url, mode.opts);
        t.after(async () => {
          client.close();
          await server.close();
        });
        const clientReceived = collect(client, 'message', 6);
        // Written before the handshake completes, and (in upgrade mode) while the upgrade runs.
        client.send('c1');
        client.send(new Uint8Array([1, 2, 3]));
        const serverSocket = await connection;
        const serverReceived = collect(serverSocket, 'message', 6);
        serverSocket.send('s1');
        serverSocket.send(new Uint8Array([4, 5]));
        await waitFor(client, 'open');
        client.send('c2 ✓');
        client.send(new Uint8Array([6]));
        serverSocket.send('s2 ✓');
        serverSocket.send(new Uint8Array([]));
        if (mode.upgrades) await waitFor(client, 'upgrade');
        client.send('c3');
        client.send(new Uint8Array([0, 255]));
        serverSocket.send('s3');
        serverSocket.send(new Uint8Array([7, 8, 9]));
        assert.deepEqual((await serverReceived).map(normalise), ['c1', [1, 2, 3], 'c2 ✓', [6], 'c3', [0, 255]]);
        assert.deepEqual((await clientReceived).map(normalise), ['s1', [4, 5], 's2 ✓', [], 's3', [7, 8, 9]]);
      });

      it("the client sees 'transport close' when the server closes the session", async (t) => {
        const { client, serverSocket } = await connect(t);
        const closed = waitFor<[string]>(client, 'close');
        serverSocket.close();
        assert.equal((await closed)[0], 'transport close');
      });

      it("the server sees 'transport close' when the client closes", async (t) => {
        const { client, serverSocket } = await connect(t);
        const closed = waitFor<[string]>(serverSocket, 'close');
        client.close();
        assert.equal((await closed)[0], 'transport close');
      });

      it("the client closes with 'ping timeout' when the server stops pinging", async (t) => {
        const { server, client, serverSocket } = await connect(t);
        const closed = waitFor<[string]>(client, 'close');
        server.silence(serverSocket);
        assert.equal((await closed)[0], 'ping timeout');
      });

      it("the server closes with 'ping timeout' when the client stops answering pings", async (t) => {
        const { client, serverSocket } = await connect(t);
        const closed = waitFor<[string]>(serverSocket, 'close');
        silenceClient(client);
        assert.equal((await closed)[0], 'ping timeout');
      });
    });
  }
}
