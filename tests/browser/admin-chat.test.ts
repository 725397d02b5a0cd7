// The chat's /admin: our dashboard mounted by examples/chat, listing a real chat user and her channel rooms.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, openChat, startChat, type Browser, type ChatPage, type RunningChat } from './chat-harness.js';
import { screenshot } from './admin-harness.js';

describe('the chat serves the admin dashboard at /admin', () => {
  let chat: RunningChat;
  let browser: Browser;
  let ada: ChatPage;

  before(async () => {
    chat = await startChat({ port: 0, host: '127.0.0.1' }); // loopback and no ADMIN_* env: no password
    browser = await launchBrowser();
    ada = await openChat(browser, chat, 'Ada');
  });
  after(async () => {
    await browser?.close();
    await chat?.close();
  });

  test('lists the chat user with her rooms, and no page error appears', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${chat.url}/admin/`);
    await page.locator('#sockets-body tr[data-socket-id] .chip', { hasText: 'general' }).first().waitFor();
    await page.locator('#rooms-body tr').first().waitFor();
    await screenshot(page, 'admin-chat');
    assert.deepEqual(errors, []);
    assert.deepEqual(ada.errors, []);
  });
});
