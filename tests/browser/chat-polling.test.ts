// The chat with WebSocket unavailable: ?transports=polling keeps the page on HTTP long-polling end to end.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  launchBrowser,
  openChat,
  screenshot,
  send,
  shownMessages,
  startChat,
  waitDelivered,
  type Browser,
  type ChatPage,
  type RunningChat,
} from './chat-harness.js';

interface ChatWindow {
  switchboardChat: { socket: { io: { engine: { transport: { name: string } } } } };
}

describe('chat over long-polling only', () => {
  let chat: RunningChat;
  let browser: Browser;
  let ada: ChatPage;
  let grace: ChatPage;

  before(async () => {
    chat = await startChat({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
    ada = await openChat(browser, chat, 'Ada', { query: '?transports=polling' });
    grace = await openChat(browser, chat, 'Grace', { query: '?transports=polling', width: 390, height: 780 });
  });

  after(async () => {
    await browser?.close();
    await chat?.close();
  });

  it('stays on the polling transport and never opens a WebSocket', async () => {
    const transport = await ada.page.evaluate(
      () => (window as unknown as ChatWindow).switchboardChat.socket.io.engine.transport.name,
    );
    assert.equal(transport, 'polling');
  });

  it('exchanges messages, typing and presence both ways', async () => {
    await ada.page.locator('#member-list .member', { hasText: 'Grace' }).waitFor();
    await grace.page.fill('#composer-input', 'hello over');
    await ada.page.locator('#typing', { hasText: 'Grace is typing…' }).waitFor();
    await send(grace.page, 'hello over HTTP');
    await waitDelivered(ada.page, 'hello over HTTP');
    await send(ada.page, 'polling works fine behind the proxy');
    await waitDelivered(grace.page, 'polling works fine behind the proxy');
    await screenshot(grace.page, 'chat-390-polling');
    assert.deepEqual([...ada.webSockets, ...grace.webSockets], []);
    assert.deepEqual([...ada.errors, ...grace.errors], []);
  });

  it('delivers a message sent during a network cut exactly once when polling resumes', async () => {
    await grace.context.setOffline(true);
    await grace.page.locator('#connection[data-state="offline"]').waitFor();
    await send(grace.page, 'queued on a polling page');
    await grace.page.locator('.message[data-status="pending"]', { hasText: 'queued on a polling page' }).waitFor();
    await grace.context.setOffline(false);
    await waitDelivered(ada.page, 'queued on a polling page');
    await waitDelivered(grace.page, 'queued on a polling page');
    const count = (await shownMessages(ada.page)).filter((m) => m.text === 'queued on a polling page').length;
    assert.equal(count, 1);
    assert.deepEqual([...ada.webSockets, ...grace.webSockets], []);
  });
});
