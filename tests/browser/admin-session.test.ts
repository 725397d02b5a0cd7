// Issue 18, point 5 (and the client count of point 10): the dashboard behind a password, through a reload.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../testkit/index.js';
import { ADMIN_HASH, ADMIN_PASSWORD, screenshot, startAdminApp, type AdminApp } from './admin-harness.js';

describe('Switchboard dashboard session across a reload', () => {
  let app: AdminApp;
  let browser: Browser;
  let page: Page;

  before(async () => {
    app = await startAdminApp({ auth: { type: 'basic', username: 'ops', password: ADMIN_HASH }, mode: 'development' }, [
      'ada',
      'grace',
      'linus',
    ]);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    page.setDefaultTimeout(15_000);
    await page.goto(`${app.url}/admin/`);
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  test('keeps its "Log out" button after a reload, and the button still logs out', async () => {
    await page.fill('#username', 'ops');
    await page.fill('#password', ADMIN_PASSWORD);
    await page.click('#login-form button[type=submit]');
    await page.locator('#logout').waitFor();
    await page.reload();
    await page.locator('#dashboard').waitFor();
    await page.locator('#logout').waitFor();
    await screenshot(page, 'issue18-5-logout-after-reload');
    await page.click('#logout');
    await page.locator('#login-form').waitFor();
  });

  test('counts the three application clients, not its own connection', async () => {
    await page.fill('#username', 'ops');
    await page.fill('#password', ADMIN_PASSWORD);
    await page.click('#login-form button[type=submit]');
    await page.locator('#stat-clients', { hasText: /^3$/ }).waitFor();
    assert.equal(await page.textContent('#stat-clients'), '3');
  });
});
