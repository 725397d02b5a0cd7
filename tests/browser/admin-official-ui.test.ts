// The official @socket.io/admin-ui dashboard (its static build, served here on 127.0.0.1) against our instrument().
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../testkit/index.js';
import { ADMIN_HASH, ADMIN_PASSWORD, screenshot, startAdminApp, type AdminApp } from './admin-harness.js';

const OFFICIAL_UI = join(
  dirname(createRequire(import.meta.url).resolve('@socket.io/admin-ui/package.json')),
  'ui',
  'dist',
);
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Serves the official dashboard's files; a separate origin, as when operators open admin.socket.io. */
function serveOfficialUi(): Promise<{ url: string; server: HttpServer }> {
  const server = createServer((req, res) => {
    const path = normalize((req.url ?? '/').split('?')[0] ?? '/').replace(/^(\.\.[/\\])+/, '');
    const file = join(OFFICIAL_UI, path === '/' ? 'index.html' : path);
    try {
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }),
    ),
  );
}

describe('the official admin-ui dashboard on our instrument()', () => {
  let app: AdminApp;
  let ui: { url: string; server: HttpServer };
  let browser: Browser;
  let page: Page;

  before(async () => {
    app = await startAdminApp(
      { auth: { type: 'basic', username: 'ops', password: ADMIN_HASH }, mode: 'development', serverId: 'chat-1' },
      ['ada', 'grace', 'linus'],
      { cors: { origin: true, credentials: true } },
    );
    ui = await serveOfficialUi();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    // Its index.html links Google Fonts and a CDN: nothing leaves the machine.
    await page.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort());
  });
  after(async () => {
    await browser?.close();
    await new Promise((resolve) => ui?.server.close(resolve));
    await app?.close();
  });

  test('logs in through its connection modal and lists our sockets and their rooms', async () => {
    await page.goto(`${ui.url}/`);
    await page.getByLabel('Server URL').fill(app.url);
    await page.getByLabel('Username').fill('ops');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.goto(`${ui.url}/#/sockets`);
    for (const user of app.users)
      await page
        .getByText(user.id ?? 'missing', { exact: true })
        .first()
        .waitFor();
    await page.goto(`${ui.url}/#/rooms`);
    for (const room of ['lobby', 'support', 'user:ada']) await page.getByText(room, { exact: true }).first().waitFor();
    // The connection modal fades out after the login: the screenshot waits until it is gone.
    await page.getByLabel('Password').waitFor({ state: 'hidden' });
    await screenshot(page, 'admin-official-ui-rooms');
    assert.ok(await page.getByText('lobby', { exact: true }).count());
  });
});
