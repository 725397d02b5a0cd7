// The admin UI hosted on another origin (https://admin.socket.io), set up as socket.io's docs say: the user passes
// `cors: { origin: ['https://admin.socket.io'], credentials: true }` to the Server. Without it the UI's polling
// handshake has no CORS headers (the browser's "xhr poll error"); with it the UI reaches /admin and the app's own
// pages still connect. Run against socket.io 4.8 + @socket.io/admin-ui (proving the tests) and ours + our instrument().
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, describe, test } from 'node:test';
import { instrument as officialInstrument } from '@socket.io/admin-ui';
import { instrument } from '@switchboard/admin';
import type { Server } from '@switchboard/server';
import { SERVER_IMPLEMENTATIONS, startServer, waitFor, type TestServer } from './server-kit.js';

const UI_ORIGIN = 'https://admin.socket.io';
const DOCS_CORS = { origin: [UI_ORIGIN], credentials: true };

function handshakeHeaders(port: number, origin: string): Promise<Record<string, string | string[] | undefined>> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/socket.io/?EIO=4&transport=polling', headers: { origin }, agent: false },
      (res) => {
        res.resume();
        resolve(res.headers);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

for (const impl of SERVER_IMPLEMENTATIONS) {
  const instrumentServer = (io: Server): void => {
    if (impl.precise) instrument(io, { auth: false });
    else officialInstrument(io as never, { auth: false });
  };

  describe(`the admin UI hosted on ${UI_ORIGIN}, on ${impl.name}`, () => {
    const servers: TestServer[] = [];
    after(async () => {
      for (const server of servers) await server.close();
    });

    test("without the cors option the UI's handshake carries no CORS headers (the browser's xhr poll error)", async () => {
      const server = await startServer({}, 0, impl.create);
      servers.push(server);
      instrumentServer(server.io);
      const headers = await handshakeHeaders(server.port, UI_ORIGIN);
      assert.equal(headers['access-control-allow-origin'], undefined);
    });

    test("with the docs' cors option the UI reaches /admin with credentials, and the app's own pages still connect", async () => {
      const server = await startServer({ cors: DOCS_CORS }, 0, impl.create);
      servers.push(server);
      instrumentServer(server.io);
      const headers = await handshakeHeaders(server.port, UI_ORIGIN);
      assert.equal(headers['access-control-allow-origin'], UI_ORIGIN);
      assert.equal(headers['access-control-allow-credentials'], 'true');
      const ui = server.client('/admin', { transports: ['websocket'], extraHeaders: { origin: UI_ORIGIN } });
      await waitFor(ui, 'connect');
      const ownPage = server.client('/', { transports: ['websocket'], extraHeaders: { origin: server.url } });
      await waitFor(ownPage, 'connect');
    });
  });
}
