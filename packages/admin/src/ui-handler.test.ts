// The dashboard's HTTP handler: its paths only, our own files and client bundle, strict headers.
import assert from 'node:assert/strict';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { AdminErrorCode } from './errors.js';
import { createAdminHandler } from './ui-handler.js';

describe('createAdminHandler', () => {
  let http: HttpServer;
  let base: string;

  before(async () => {
    const handler = createAdminHandler({ basePath: '/ops/admin/', namespaceName: '/control' });
    http = createServer((req, res) => {
      if (!handler(req, res)) res.writeHead(418).end('not mine');
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => http.close(() => resolve())));

  test('leaves other paths to the next handler', async () => {
    assert.equal((await fetch(`${base}/ops/administrator`)).status, 418);
    assert.equal((await fetch(`${base}/`)).status, 418);
  });

  test('redirects the bare base path to its trailing-slash form', async () => {
    const response = await fetch(`${base}/ops/admin`, { redirect: 'manual' });
    assert.equal(response.status, 301);
    assert.equal(response.headers.get('location'), '/ops/admin/');
  });

  test('serves the page with the namespace it must connect to and a same-origin-only CSP', async () => {
    const response = await fetch(`${base}/ops/admin/`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    const html = await response.text();
    assert.ok(html.includes('"namespaceName":"/control"'));
    assert.doesNotMatch(html, /https?:\/\//);
  });

  test('serves the Switchboard client bundle next to the page', async () => {
    const response = await fetch(`${base}/ops/admin/socket.io.min.js`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /javascript/);
  });

  test('answers 404 for an unknown file and 405 for a POST', async () => {
    assert.equal((await fetch(`${base}/ops/admin/../../etc/passwd`)).status, 418);
    assert.equal((await fetch(`${base}/ops/admin/secrets.txt`)).status, 404);
    assert.equal((await fetch(`${base}/ops/admin/admin.js`, { method: 'POST' })).status, 405);
  });
});

test('a base path without a leading slash is refused at once', () => {
  assert.throws(() => createAdminHandler({ basePath: 'admin' }), { code: AdminErrorCode.INVALID_OPTION });
});
