// Our dashboard in Chromium: basic-auth login, sockets with their rooms, disconnecting one, the read-only mode.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../testkit/index.js';
import {
  ADMIN_HASH,
  ADMIN_PASSWORD,
  nextDisconnect,
  screenshot,
  startAdminApp,
  type AdminApp,
} from './admin-harness.js';

const NAMES = ['ada', 'grace', 'linus', 'barbara', 'ken'];

describe('Switchboard dashboard with basic authentication', () => {
  let app: AdminApp;
  let browser: Browser;
  let page: Page;

  before(async () => {
    app = await startAdminApp(
      { auth: { type: 'basic', username: 'ops', password: ADMIN_HASH }, mode: 'development', serverId: 'chat-1' },
      NAMES,
    );
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await page.goto(`${app.url}/admin/`);
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  test('a wrong password keeps the login form and says so', async () => {
    await page.locator('#login-form').waitFor();
    await page.fill('#username', 'ops');
    await page.fill('#password', 'guess');
    await page.click('#login-form button[type=submit]');
    await page.locator('#login-error', { hasText: 'Wrong username or password.' }).waitFor();
    assert.equal(await page.isVisible('#dashboard'), false);
    await screenshot(page, 'admin-login-refused');
  });

  test('the right password opens the dashboard with every socket and its rooms', async () => {
    await page.fill('#password', ADMIN_PASSWORD);
    await page.click('#login-form button[type=submit]');
    await page.locator('#status', { hasText: 'connected' }).waitFor();
    for (const user of app.users) {
      const row = page.locator(`tr[data-socket-id="${user.id}"]`);
      await row.waitFor();
      await row.locator('.chip[data-room="lobby"], .chip[data-room="support"]').waitFor();
    }
    await page.locator('#rooms-body tr[data-room="lobby"]').waitFor();
    await page.locator('#stat-sockets', { hasText: String(NAMES.length) }).waitFor({ timeout: 5000 });
    // A flat line (the count did not change) has an empty bounding box, which Playwright calls hidden: wait for the
    // element and its points instead of visibility.
    const line = page.locator('#chart-clients polyline');
    await line.waitFor({ state: 'attached' });
    await page.waitForFunction(
      () =>
        (document.querySelector('#chart-clients polyline')?.getAttribute('points') ?? '').trim().split(/\s+/).length >=
        2,
    );
    app.users[0]?.emit('chat', 'deploy at 5?');
    await page.locator('#events li', { hasText: 'deploy at 5?' }).first().waitFor();
    await screenshot(page, 'admin-dashboard');
  });

  test('Join… puts the socket in a room, and the × on its chip takes it out again', async () => {
    const user = app.users[0];
    assert.ok(user?.id);
    const serverSocket = () => app.io.of('/').sockets.get(user.id ?? '');
    await page.locator(`tr[data-socket-id="${user.id}"] button`, { hasText: 'Join…' }).click();
    await page.fill('#join-room', 'on-call');
    await page.click('#join-form button[value=join]');
    const chip = page.locator(`tr[data-socket-id="${user.id}"] .chip[data-room="on-call"]`);
    await chip.waitFor();
    assert.equal(serverSocket()?.rooms.has('on-call'), true);
    await chip.locator('button').click();
    await chip.waitFor({ state: 'detached' });
    assert.equal(serverSocket()?.rooms.has('on-call'), false);
  });

  test('Disconnect on a socket row really disconnects that client', async () => {
    const victim = app.users[1];
    assert.ok(victim?.id);
    const disconnected = nextDisconnect(victim);
    await page.locator(`tr[data-socket-id="${victim.id}"] button`, { hasText: 'Disconnect' }).click();
    assert.equal(await disconnected, 'io server disconnect');
    await page.locator(`tr[data-socket-id="${victim.id}"]`).waitFor({ state: 'detached' });
  });

  test('Disconnect all on a room disconnects the sockets in it, after a confirmation', async () => {
    const barbara = app.users[3]; // index 3 -> 'support'; grace (also there) is already gone
    assert.ok(barbara?.id);
    const disconnected = nextDisconnect(barbara);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.locator('#rooms-body tr[data-room="support"] button', { hasText: 'Disconnect all' }).click();
    assert.equal(await disconnected, 'io server disconnect');
    assert.equal(app.users[0]?.connected, true);
  });

  test('a reload logs in again with the session, without the password', async () => {
    await page.reload();
    await page.locator('#status', { hasText: 'connected' }).waitFor();
    assert.equal(await page.isVisible('#login'), false);
  });
});

describe('Switchboard dashboard in read-only mode', () => {
  let app: AdminApp;
  let browser: Browser;

  before(async () => {
    app = await startAdminApp({ auth: false, readonly: true, mode: 'production' }, NAMES.slice(0, 2));
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  test('shows the sockets without any action button and says read-only', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${app.url}/admin/`);
    await page.locator(`tr[data-socket-id="${app.users[0]?.id}"]`).waitFor();
    await page.locator('#readonly-badge').waitFor();
    await page.locator('#stat-sockets', { hasText: '2' }).waitFor();
    assert.equal(await page.locator('#sockets-body button').count(), 0);
    assert.equal(await page.locator('#rooms-body button.btn-danger').count(), 0);
    await screenshot(page, 'admin-dashboard-readonly');
  });
});
