// Issue 18: the chat and its dashboard under real use, three people in Chromium (ids chosen so that their avatar
// colours would collide without care). Each test names the point of the issue it shows; screenshots are saved.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  collidingUserIds,
  dashboardRow,
  launchBrowser,
  openChat,
  openConversation,
  openDashboard,
  screenshot,
  send,
  shownMessages,
  startChat,
  STEP_MS,
  waitDelivered,
  waitDeliveredTexts,
  type Browser,
  type ChatPage,
  type Page,
  type RunningChat,
} from './chat-harness.js';

describe('the chat under real use (issue 18)', () => {
  let chat: RunningChat;
  let browser: Browser;
  let ada: ChatPage;
  let grace: ChatPage;
  let linus: ChatPage;
  let dashboard: Page;
  const [adaId, graceId, linusId] = collidingUserIds(3) as [string, string, string];

  before(async () => {
    chat = await startChat({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
    ada = await openChat(browser, chat, 'Ada', { userId: adaId });
    grace = await openChat(browser, chat, 'Grace', { userId: graceId });
    linus = await openChat(browser, chat, 'Linus', { userId: linusId });
    dashboard = await openDashboard(browser, chat);
  });
  after(async () => {
    await browser?.close();
    await chat?.close();
  });

  it('1: shows 20 quick sends in the order typed, for the sender and everyone, through the rate limit', async () => {
    const typed = Array.from({ length: 20 }, (_, i) => `order ${i + 1}`);
    for (const text of typed) await send(ada.page, text);
    assert.deepEqual(await waitDeliveredTexts(ada.page, 'order ', 20), typed);
    assert.deepEqual(await waitDeliveredTexts(grace.page, 'order ', 20), typed);
    await screenshot(grace.page, 'issue18-1-order');
  });

  it('1: keeps the order through a dropped connection and its recovery', async () => {
    const typed = Array.from({ length: 9 }, (_, i) => `drop ${i + 1}`);
    for (const text of typed.slice(0, 3)) await send(ada.page, text);
    await ada.context.setOffline(true);
    for (const text of typed.slice(3, 6)) await send(ada.page, text);
    await ada.context.setOffline(false);
    for (const text of typed.slice(6)) await send(ada.page, text);
    assert.deepEqual(await waitDeliveredTexts(grace.page, 'drop ', 9), typed);
    assert.deepEqual(await waitDeliveredTexts(ada.page, 'drop ', 9), typed);
  });

  it('4 and 10: the dashboard finds a socket by nickname, shows its data and counts only the chat clients', async () => {
    const row = await dashboardRow(dashboard, 'Grace');
    assert.match((await row.textContent()) ?? '', /user\.nickname: Grace/);
    // The search applies after a short pause in typing: wait for the filtered list.
    await dashboard.waitForFunction(() => document.querySelectorAll('#sockets-body tr[data-socket-id]').length === 1);
    await dashboard.locator('#stat-clients', { hasText: /^3$/ }).waitFor();
    await screenshot(dashboard, 'issue18-4-dashboard-search');
  });

  it('3: a dashboard "leave" takes the channel out of her chat and her out of its list; "join" puts them back', async () => {
    for (const page of [ada.page, grace.page]) {
      await page.fill('#join-input', 'design');
      await page.press('#join-input', 'Enter');
      await page.locator('#conversation-name', { hasText: '#design' }).waitFor();
    }
    await ada.page.locator('#member-list .member', { hasText: 'Grace' }).waitFor();
    const row = await dashboardRow(dashboard, 'Grace');
    await row.locator('.chip[data-room="ch:design"] button').click();
    await grace.page.locator('#banner', { hasText: 'removed you from #design' }).waitFor();
    await grace.page.locator('.conversation-item[data-key="#design"]').waitFor({ state: 'detached' });
    await ada.page.locator('#member-list .member', { hasText: 'Grace' }).waitFor({ state: 'detached' });
    await ada.page.locator('#messages .notice', { hasText: 'Grace left #design' }).waitFor();
    await screenshot(grace.page, 'issue18-3-removed');

    await row.getByText('Join…').click();
    await dashboard.fill('#join-room', 'ch:design');
    await dashboard.click('#join-dialog button[value="join"]');
    await grace.page.locator('.conversation-item[data-key="#design"]').waitFor();
    await ada.page.locator('#member-list .member', { hasText: 'Grace' }).waitFor();
    await openConversation(ada.page, '#general');
  });

  it('2: a user disconnected from the dashboard is told why, rejoins in one click, and her pending send arrives', async () => {
    await openConversation(grace.page, '#general');
    const row = await dashboardRow(dashboard, 'Grace');
    await row.getByText('Disconnect').click();
    await grace.page.locator('#connection[data-state="kicked"]').waitFor();
    await grace.page.locator('#banner', { hasText: 'disconnected you' }).waitFor();
    await ada.page.locator('#member-list .member', { hasText: 'Grace' }).waitFor({ state: 'detached' });
    await send(grace.page, 'written while kicked');
    await grace.page
      .locator('#messages .message[data-status="pending"]', { hasText: 'written while kicked' })
      .waitFor();
    await screenshot(grace.page, 'issue18-2-kicked');
    await grace.page.click('#banner-rejoin');
    await grace.page.locator('#connection[data-state="connected"]').waitFor();
    await waitDelivered(ada.page, 'written while kicked');
    await waitDelivered(grace.page, 'written while kicked');
    assert.ok(await grace.page.locator('#banner').isHidden());
  });

  it('6: a 100 KB paste shows a counter and is refused clearly, and a long text can be sent split, in order', async () => {
    const paste = 'lorem ipsum '.repeat(8334).slice(0, 100_000);
    await grace.page.fill('#composer-input', paste);
    await grace.page.locator('#composer-count.over', { hasText: '100,000 / 2,000' }).waitFor();
    await grace.page.press('#composer-input', 'Enter');
    await grace.page.locator('#composer-error', { hasText: 'limit is 2,000' }).waitFor();
    assert.equal(await grace.page.inputValue('#composer-input').then((v) => v.length), 100_000);
    await screenshot(grace.page, 'issue18-6-too-long');
    const long = Array.from({ length: 900 }, (_, i) => `w${i}`).join(' ');
    await grace.page.fill('#composer-input', long);
    await grace.page.press('#composer-input', 'Enter');
    await grace.page.locator('#composer-split', { hasText: 'Send as 3 messages' }).click();
    await waitDeliveredTexts(ada.page, 'w0 ', 1);
    // The three parts arrive one by one: read them once the last one is shown.
    await ada.page.waitForFunction(
      () =>
        Array.from(document.querySelectorAll('#messages .message[data-status="sent"] .text'))
          .at(-1)
          ?.textContent?.endsWith('w899') === true,
      undefined,
      { timeout: 30_000 },
    );
    const parts = await shownMessages(ada.page);
    const lastThree = parts.slice(-3).map((m) => m.text);
    assert.equal(lastThree.join(' '), long);
  });

  it('8: right-to-left text is laid out right to left', async () => {
    await send(grace.page, 'שלום לכולם!');
    await waitDelivered(ada.page, 'שלום לכולם!');
    const rtl = await ada.page
      .locator('#messages .text', { hasText: 'שלום' })
      .evaluate((el) => el.matches(':dir(rtl)'));
    assert.equal(rtl, true);
    await screenshot(ada.page, 'issue18-8-rtl');
  });

  it('7: a rename is announced and earlier and later messages show the current name, grouped by person', async () => {
    await ada.page.click('#change-nickname');
    await ada.page.fill('#nickname-input', 'Ada Lovelace');
    await ada.page.click('#entry-submit');
    await grace.page.locator('#messages .notice', { hasText: 'Ada is now known as Ada Lovelace' }).waitFor();
    await send(ada.page, 'renamed and still me');
    await waitDelivered(grace.page, 'renamed and still me');
    const authors = await grace.page.$$eval('#messages .author', (els) => els.map((el) => el.textContent));
    assert.ok(!authors.includes('Ada'), `no header under the old name: ${authors.join(', ')}`);
    assert.ok(authors.includes('Ada Lovelace'));
    await screenshot(grace.page, 'issue18-7-rename');
  });

  it('10: avatars of different people get different colours, even when their ids hash alike', async () => {
    await ada.page.locator('#member-list .member').nth(2).waitFor();
    const hues = await ada.page.$$eval('#member-list .avatar', (els) =>
      els.map((el) => (el as HTMLElement).style.getPropertyValue('--hue')),
    );
    assert.equal(new Set(hues).size, 3, `hues ${hues.join(', ')}`);
    await screenshot(ada.page, 'issue18-10-avatars');
  });

  it('10: a channel-name error goes away once the user moves on', async () => {
    await ada.page.fill('#join-input', 'Not a name!');
    await ada.page.press('#join-input', 'Enter');
    await ada.page.locator('#join-error', { hasText: 'Channel names' }).waitFor();
    await ada.page.fill('#join-input', '');
    await ada.page.locator('.conversation-item[data-key="#design"]').click();
    // Well before the 6 s after which the error used to fade on its own.
    await ada.page.waitForFunction(() => document.getElementById('join-error')?.textContent === '', undefined, {
      timeout: 2000,
    });
  });

  it('10: an empty channel can be deleted', async () => {
    await ada.page.fill('#join-input', 'scratch');
    await ada.page.press('#join-input', 'Enter');
    await ada.page.locator('.conversation-item[data-key="#scratch"] + .leave').click();
    await ada.page.locator('.browse-item[data-channel="scratch"]').waitFor();
    await screenshot(ada.page, 'issue18-10-delete-channel');
    await ada.page.getByLabel('Delete #scratch').click();
    await ada.page.locator('.browse-item[data-channel="scratch"]').waitFor({ state: 'detached' });
    await grace.page.locator('.browse-item[data-channel="scratch"]').waitFor({ state: 'detached' });
  });

  it('10: join and leave lines, offline shown to others, and a private message to someone offline is marked', async () => {
    await openConversation(ada.page, '#general');
    await ada.page.locator('#member-list .member', { hasText: 'Linus' }).click();
    await ada.page.locator('#conversation-name', { hasText: 'Linus' }).waitFor();
    await linus.context.setOffline(true);
    await openConversation(grace.page, '#general');
    // The heartbeat (5 s + 3 s) notices a page that went away without closing.
    await grace.page.locator('#messages .notice', { hasText: 'Linus left #general' }).waitFor({ timeout: 20_000 });
    await grace.page.locator('#member-list .member', { hasText: 'Linus' }).waitFor({ state: 'detached' });
    await send(ada.page, 'see this when you are back');
    await ada.page.locator('#messages .offline-note', { hasText: 'Linus was offline' }).waitFor();
    await screenshot(ada.page, 'issue18-10-dm-offline');
    await linus.context.setOffline(false);
    // Back online: he reconnects (his own heartbeat notices the dead connection first) and shows up again.
    await grace.page.locator('#member-list .member', { hasText: 'Linus' }).waitFor({ timeout: STEP_MS * 2 });
    await grace.page.locator('#messages .notice', { hasText: 'Linus joined #general' }).last().waitFor();
    await screenshot(grace.page, 'issue18-10-join-leave');
    assert.deepEqual([...ada.errors, ...grace.errors], []);
  });
});
