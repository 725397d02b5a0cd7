// The chat in two real browsers: presence, typing, public and private messages, history, channels, layout.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  launchBrowser,
  openChat,
  openConversation,
  openSidebar,
  screenshot,
  send,
  shownMessages,
  startChat,
  waitDelivered,
  type Browser,
  type ChatPage,
  type RunningChat,
} from './chat-harness.js';

describe('chat in the browser', () => {
  let chat: RunningChat;
  let browser: Browser;
  let ada: ChatPage;
  let grace: ChatPage;

  before(async () => {
    chat = await startChat({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
    ada = await openChat(browser, chat, 'Ada', { width: 1280 });
    grace = await openChat(browser, chat, 'Grace', { width: 390, height: 780 });
  });

  after(async () => {
    await browser?.close();
    await chat?.close();
  });

  it('shows both people in the online list of #general', async () => {
    await ada.page.locator('#member-list .member', { hasText: 'Grace' }).waitFor();
    await grace.page.click('#open-members');
    await grace.page.locator('#member-list .member', { hasText: 'Ada' }).waitFor();
    await grace.page.click('#close-members');
    assert.equal(await ada.page.textContent('#conversation-meta'), '2 online');
  });

  it('shows a typing indicator to the other person while someone types', async () => {
    await ada.page.fill('#composer-input', 'Writing the agenda');
    await grace.page.locator('#typing', { hasText: 'Ada is typing…' }).waitFor();
  });

  it('delivers a public message to everyone in the channel exactly once', async () => {
    await send(ada.page, 'Standup in 5 minutes, see https://example.com/agenda');
    await waitDelivered(grace.page, 'Standup in 5 minutes');
    await waitDelivered(ada.page, 'Standup in 5 minutes');
    await grace.page.locator('#typing', { hasText: /^$/ }).waitFor();
    await send(grace.page, 'On my way ☕');
    await waitDelivered(ada.page, 'On my way ☕');
    const texts = (await shownMessages(ada.page)).map((m) => m.text);
    assert.deepEqual(texts, ['Standup in 5 minutes, see https://example.com/agenda', 'On my way ☕']);
    assert.equal(await ada.page.getAttribute('#messages a', 'href'), 'https://example.com/agenda');
  });

  it('renders markup in messages as text, never as HTML', async () => {
    await send(grace.page, '<img src=x onerror="window.pwned=1"><b>bold?</b>');
    await waitDelivered(ada.page, '<b>bold?</b>');
    assert.equal(await ada.page.locator('#messages img, #messages b').count(), 0);
    assert.equal(await ada.page.evaluate(() => (window as unknown as { pwned?: number }).pwned), undefined);
  });

  it('delivers a private message only to its recipient', async () => {
    const linus = await openChat(browser, chat, 'Linus');
    try {
      await ada.page.locator('#member-list .member', { hasText: 'Grace' }).click();
      await ada.page.locator('#conversation-name', { hasText: 'Grace' }).waitFor();
      await send(ada.page, 'Psst, can you review my PR?');
      await waitDelivered(ada.page, 'Psst, can you review my PR?');

      await openSidebar(grace.page);
      await grace.page.locator('.conversation-item', { hasText: 'Ada' }).locator('.badge').waitFor();
      await openConversation(grace.page, 'Ada');
      await waitDelivered(grace.page, 'Psst, can you review my PR?');

      assert.equal(await linus.page.locator('.conversation-item', { hasText: 'Ada' }).count(), 0);
      const linusTexts = (await shownMessages(linus.page)).map((m) => m.text);
      assert.ok(!linusTexts.includes('Psst, can you review my PR?'));
      assert.deepEqual(linus.errors, []);
    } finally {
      await linus.context.close();
    }
  });

  it('shows a late joiner the channel history of this run', async () => {
    const late = await openChat(browser, chat, 'Late Larry');
    try {
      await waitDelivered(late.page, 'Standup in 5 minutes');
      await waitDelivered(late.page, 'On my way ☕');
    } finally {
      await late.context.close();
    }
  });

  it('creates a channel, updates its online list when someone joins and leaves, and lists it for others', async () => {
    await ada.page.fill('#join-input', 'Release-Train');
    await ada.page.press('#join-input', 'Enter');
    await ada.page.locator('#conversation-name', { hasText: '#release-train' }).waitFor();

    await openSidebar(grace.page);
    await grace.page.locator('.browse-item[data-channel="release-train"]').click();
    await grace.page.locator('#conversation-name', { hasText: '#release-train' }).waitFor();
    await ada.page.locator('#conversation-meta', { hasText: '2 online' }).waitFor();

    await openSidebar(grace.page);
    await grace.page.locator('.conversation-item[data-key="#release-train"] + .leave').click();
    await ada.page.locator('#conversation-meta', { hasText: '1 online' }).waitFor();
    await grace.page.locator('.browse-item[data-channel="release-train"]').waitFor();
  });

  it('keeps the nickname and joined channels across a reload', async () => {
    await ada.page.reload();
    await ada.page.locator('#connection[data-state="connected"]').waitFor();
    assert.equal(await ada.page.textContent('#me-name'), 'Ada');
    await ada.page.locator('.conversation-item[data-key="#release-train"]').waitFor();
    await ada.page.locator('#conversation-name', { hasText: '#release-train' }).waitFor();
  });

  it('looks right at 1280px and 390px wide (screenshots in test-results/screenshots)', async () => {
    await openConversation(ada.page, '#general');
    await ada.page.fill('#composer-input', 'Drafting…');
    await openConversation(grace.page, '#general');
    await grace.page.locator('#typing', { hasText: 'Ada is typing…' }).waitFor();
    await screenshot(ada.page, 'chat-1280');
    await screenshot(grace.page, 'chat-390');
    await openSidebar(grace.page);
    await grace.page.locator('#sidebar .conversation-item').first().waitFor();
    await grace.page.waitForFunction(() => document.getElementById('sidebar')?.getBoundingClientRect().left === 0);
    await screenshot(grace.page, 'chat-390-sidebar');
    await grace.page.click('#close-sidebar');
    const overflow = await grace.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.equal(overflow, 0, 'no horizontal scrolling at 390px');
    assert.deepEqual([...ada.errors, ...grace.errors], []);
  });

  it('refuses a nickname someone online already has, then renames and shows the new name to others', async () => {
    await ada.page.click('#change-nickname');
    await ada.page.fill('#nickname-input', 'grace');
    await ada.page.click('#entry-submit');
    await ada.page.locator('#entry-error', { hasText: 'already in use' }).waitFor();
    await ada.page.fill('#nickname-input', 'Ada L.');
    await ada.page.click('#entry-submit');
    await ada.page.locator('#connection[data-state="connected"]').waitFor();
    assert.equal(await ada.page.textContent('#me-name'), 'Ada L.');
    await grace.page.click('#open-members');
    await grace.page.locator('#member-list .member', { hasText: 'Ada L.' }).waitFor();
    await send(ada.page, 'new name, same me');
    await waitDelivered(grace.page, 'new name, same me');
  });
});
