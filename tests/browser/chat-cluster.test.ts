// Issue 18 across two chat processes sharing Redis (their own key prefix per run): order, presence, rename and a
// dashboard disconnect hold across both. Needs Redis at 127.0.0.1:6379 (REDIS_URL overrides).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  dashboardRow,
  launchBrowser,
  openChat,
  openDashboard,
  screenshot,
  send,
  startChat,
  waitDelivered,
  waitDeliveredTexts,
  type Browser,
  type ChatPage,
  type Page,
  type RunningChat,
} from './chat-harness.js';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

describe('two chat processes on one Redis (issue 18)', () => {
  let first: RunningChat;
  let second: RunningChat;
  let browser: Browser;
  let ada: ChatPage;
  let grace: ChatPage;
  let dashboard: Page;

  before(async () => {
    const redisKey = `sb-chat-test-${randomBytes(6).toString('hex')}`;
    first = await startChat({ port: 0, host: '127.0.0.1', redisUrl: REDIS_URL, redisKey });
    second = await startChat({ port: 0, host: '127.0.0.1', redisUrl: REDIS_URL, redisKey });
    browser = await launchBrowser();
    ada = await openChat(browser, first, 'Ada');
    grace = await openChat(browser, second, 'Grace');
    dashboard = await openDashboard(browser, first);
  });
  after(async () => {
    await browser?.close();
    await first?.close();
    await second?.close();
  });

  it("shows each process the other one's user online", async () => {
    await ada.page.locator('#member-list .member', { hasText: 'Grace' }).waitFor();
    await grace.page.locator('#member-list .member', { hasText: 'Ada' }).waitFor();
  });

  it('delivers 20 quick sends from one process to the other in the order typed', async () => {
    const typed = Array.from({ length: 20 }, (_, i) => `across ${i + 1}`);
    for (const text of typed) await send(ada.page, text);
    assert.deepEqual(await waitDeliveredTexts(grace.page, 'across ', 20), typed);
    assert.deepEqual(await waitDeliveredTexts(ada.page, 'across ', 20), typed);
  });

  it('announces a rename made on one process to the other, with the current name on earlier messages', async () => {
    await ada.page.click('#change-nickname');
    await ada.page.fill('#nickname-input', 'Ada Byron');
    await ada.page.click('#entry-submit');
    await grace.page.locator('#messages .notice', { hasText: 'Ada is now known as Ada Byron' }).waitFor();
    await grace.page.locator('#member-list .member', { hasText: 'Ada Byron' }).waitFor();
    const authors = await grace.page.$$eval('#messages .author', (els) => els.map((el) => el.textContent));
    assert.deepEqual([...new Set(authors)], ['Ada Byron']);
    await screenshot(grace.page, 'issue18-cluster-rename');
  });

  it('lets the dashboard of one process find and disconnect a user of the other, who rejoins in one click', async () => {
    const row = await dashboardRow(dashboard, 'Grace');
    await row.getByText('Disconnect').click();
    await grace.page.locator('#connection[data-state="kicked"]').waitFor();
    await ada.page.locator('#member-list .member', { hasText: 'Grace' }).waitFor({ state: 'detached' });
    await send(grace.page, 'back from the other process');
    await screenshot(grace.page, 'issue18-cluster-kicked');
    await grace.page.click('#banner-rejoin');
    await waitDelivered(ada.page, 'back from the other process');
    await ada.page.locator('#member-list .member', { hasText: 'Grace' }).waitFor();
    assert.deepEqual([...ada.errors, ...grace.errors], []);
  });
});
