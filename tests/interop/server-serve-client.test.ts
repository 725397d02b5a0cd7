// Serving the browser client as socket.io does: bundles and maps with `charset=utf-8`, a strong ETag from the
// version answered 304 on If-None-Match, br or gzip chosen by Accept-Encoding, and the `cors` option's headers.
// Run against socket.io 4.8 (proving the expectations) and ours.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, describe, test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { SERVER_IMPLEMENTATIONS, startServer, type TestServer } from './server-kit.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function get(port: number, path: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const FILES = [
  'socket.io.js',
  'socket.io.min.js',
  'socket.io.esm.min.js',
  'socket.io.msgpack.min.js',
  'socket.io.js.map',
  'socket.io.min.js.map',
  'socket.io.msgpack.min.js.map',
];
/** The minified script bundles: the default codec's and the msgpack one's. */
const MINIFIED = ['socket.io.min.js', 'socket.io.msgpack.min.js'];

for (const impl of SERVER_IMPLEMENTATIONS) {
  describe(`serving the browser client on ${impl.name}`, () => {
    let server: TestServer;
    after(() => server?.close());

    test('each bundle and map is served with charset=utf-8 and a strong ETag', async () => {
      server = await startServer({ cors: { origin: 'https://app.example', credentials: true } }, 0, impl.create);
      for (const file of FILES) {
        const reply = await get(server.port, `/socket.io/${file}`);
        assert.equal(reply.status, 200, file);
        const type = file.endsWith('.map') ? 'application/json' : 'application/javascript';
        assert.equal(reply.headers['content-type'], `${type}; charset=utf-8`, file);
        assert.match(String(reply.headers['etag']), /^"\d+\.\d+\.\d+[^"]*"$/, file);
        assert.ok(reply.body.byteLength > 1000, file);
      }
    });

    test('If-None-Match with the ETag (strong or weak) is answered 304 without a body', async () => {
      for (const file of MINIFIED) {
        const first = await get(server.port, `/socket.io/${file}`);
        const etag = String(first.headers['etag']);
        for (const candidate of [etag, `W/${etag}`]) {
          const again = await get(server.port, `/socket.io/${file}`, { 'if-none-match': candidate });
          assert.equal(again.status, 304, file);
          assert.equal(again.body.byteLength, 0, file);
        }
      }
    });

    test('br and gzip are chosen by Accept-Encoding and decode to the plain file', async () => {
      for (const file of MINIFIED) {
        // Without Accept-Encoding socket.io answers br (any encoding is acceptable then); identity asks for none.
        const plain = await get(server.port, `/socket.io/${file}`, { 'accept-encoding': 'identity' });
        assert.equal(plain.headers['content-encoding'], undefined, file);
        const br = await get(server.port, `/socket.io/${file}`, { 'accept-encoding': 'br;q=1, gzip;q=0.8' });
        assert.equal(br.headers['content-encoding'], 'br', file);
        assert.deepEqual(brotliDecompressSync(br.body), plain.body, file);
        // Equal weights: the first listed wins, as a browser's `gzip, deflate, br` gets gzip from socket.io.
        const gzip = await get(server.port, `/socket.io/${file}`, { 'accept-encoding': 'gzip, deflate, br' });
        assert.equal(gzip.headers['content-encoding'], 'gzip', file);
        assert.deepEqual(gunzipSync(gzip.body), plain.body, file);
      }
    });

    test("the cors option's headers are on the client files too", async () => {
      const reply = await get(server.port, '/socket.io/socket.io.min.js', { origin: 'https://app.example' });
      assert.equal(reply.headers['access-control-allow-origin'], 'https://app.example');
      assert.equal(reply.headers['access-control-allow-credentials'], 'true');
    });
  });
}
