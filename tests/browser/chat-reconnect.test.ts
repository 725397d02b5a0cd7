// The chat across network trouble: pending messages survive a cut and arrive exactly once; the state is visible.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { io as connectClient, type Socket as ClientSocket } from 'socket.io-client';
import {
  launchBrowser,
  openChat,
  screenshot,
  send,
  shownMessages,
  startChat,
  waitConnected,
  waitDelivered,
  type Browser,
  type ChatPage,
  type Page,
  type RunningChat,
} from './chat-harness.js';

interface ChatWindow {
  switchboardChat: { socket: { recovered: boolean; io: { engine: { close(): void } } } };
}

/** Drops the page's connection the way a dead network would: no goodbye, the client must notice and reconnect. */
function cutTransport(page: Page): Promise<void> {
  return page.evaluate(() => (window as unknown as ChatWindow).switchboardChat.socket.io.engine.close());
}

const wasRecovered = (page: Page): Promise<boolean> =>
  page.evaluate(() => (window as unknown as ChatWindow).switchboardChat.socket.recovered);

async function countOf(page: Page, text: string): Promise<number> {
  return (await shownMessages(page)).filter((m) => m.text === text).length;
}

describe('chat across network trouble', () => {
  let chat: RunningChat;
  let browser: Browser;
  let ada: ChatPage;
  let grace: ChatPage;
  // A plain client in #general that counts every broadcast: the pages de-duplicate by id, so only a raw
  // listener can prove the server broadcast each message once.
  let observer: ClientSocket;
  const broadcasts = new Map<string, number>();
  const broadcastCount = (text: string): number => broadcasts.get(text) ?? 0;

  before(async () => {
    chat = await startChat({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
    observer = connectClient(chat.url, {
      auth: { userId: 'observer-1', nickname: 'Observer' },
      transports: ['websocket'],
    });
    observer.on('message', (message: { text: string }) =>
      broadcasts.set(message.text, broadcastCount(message.text) + 1),
    );
    const joined = await observer.timeout(10_000).emitWithAck('channel:join', { name: 'general' });
    assert.equal((joined as { ok: boolean }).ok, true);
    ada = await openChat(browser, chat, 'Ada');
    grace = await openChat(browser, chat, 'Grace');
  });

  after(async () => {
    observer?.close();
    await browser?.close();
    await chat?.close();
  });

  it('shows messages sent while offline as pending, then delivers each exactly once after the network returns', async () => {
    const texts = ['offline one', 'offline two', 'offline three'];
    await ada.context.setOffline(true);
    await cutTransport(ada.page);
    await ada.page.locator('#connection[data-state="offline"]').waitFor();
    for (const text of texts) await send(ada.page, text);
    assert.deepEqual(
      (await shownMessages(ada.page)).filter((m) => texts.includes(m.text)).map((m) => m.status),
      ['pending', 'pending', 'pending'],
    );
    await ada.page.locator('.message.pending .status', { hasText: 'Sending…' }).first().waitFor();
    await ada.page.locator('#composer-hint').waitFor();
    await screenshot(ada.page, 'chat-1280-offline');

    await ada.context.setOffline(false);
    await waitConnected(ada.page);
    for (const text of texts) {
      await waitDelivered(ada.page, text);
      await waitDelivered(grace.page, text);
    }
    assert.equal(await wasRecovered(ada.page), true, 'the short drop is within the recovery window');
    await grace.page.locator('#member-list .member', { hasText: 'Ada' }).waitFor();
    await ada.page.locator('#member-list .member', { hasText: 'Grace' }).waitFor();
    const graceOrder = (await shownMessages(grace.page)).map((m) => m.text).filter((t) => texts.includes(t));
    assert.deepEqual(graceOrder, texts);
    for (const text of texts) {
      assert.equal(await countOf(ada.page, text), 1, `"${text}" shown once to its sender`);
      assert.equal(broadcastCount(text), 1, `"${text}" broadcast once`);
    }
  });

  it('re-sends a message whose ack was lost and still shows it once to everyone', async () => {
    const text = 'the ack for this one gets lost';
    let swallowed = false;
    // Server side: process the message but lose its ack, then drop the connection, as a network failure would.
    for (const socket of chat.io.of('/').sockets.values()) {
      if ((socket.data as { user?: { nickname: string } }).user?.nickname !== 'Ada') continue;
      socket.use((packet, next) => {
        const payload = packet[1] as { text?: unknown } | undefined;
        if (!swallowed && packet[0] === 'message:send' && payload?.text === text) {
          swallowed = true;
          packet[packet.length - 1] = () => {};
          setTimeout(() => socket.conn.close(), 0);
        }
        next();
      });
    }
    await send(ada.page, text);
    await waitDelivered(grace.page, text);
    await waitDelivered(ada.page, text);
    assert.equal(swallowed, true);
    await waitConnected(ada.page);
    // A later message proves the queue moved on; by then any duplicate would have been shown.
    await send(ada.page, 'and this one follows');
    await waitDelivered(grace.page, 'and this one follows');
    assert.equal(broadcastCount(text), 1, 'the re-send was recognised by its id and not broadcast again');
    assert.equal(await countOf(grace.page, text), 1);
    assert.equal(await countOf(ada.page, text), 1);
    assert.equal(await wasRecovered(ada.page), true);
  });

  it('keeps a message that is still pending across a page reload and delivers it once afterwards', async () => {
    const text = 'survives a reload';
    // Only the Engine.IO endpoint is unreachable; the page and its scripts still load.
    const isEngineRequest = (url: URL): boolean => url.pathname === '/socket.io/';
    await ada.context.route(isEngineRequest, (route) => route.abort());
    await cutTransport(ada.page);
    await ada.page.locator('#connection[data-state="reconnecting"]').waitFor();
    await send(ada.page, text);
    await ada.page.locator('.message[data-status="pending"]', { hasText: text }).waitFor();
    await ada.page.reload();
    await ada.page.locator('.message[data-status="pending"]', { hasText: text }).waitFor();
    await ada.context.unroute(isEngineRequest);
    await waitConnected(ada.page);
    await waitDelivered(ada.page, text);
    await waitDelivered(grace.page, text);
    assert.equal(broadcastCount(text), 1);
    assert.equal(await countOf(ada.page, text), 1);
  });

  it('shows "Reconnecting (attempt n)" while the server cannot be reached, then "Connected"', async () => {
    await ada.context.route('**/socket.io/**', (route) => route.abort());
    await cutTransport(ada.page);
    await ada.page.locator('#connection-label', { hasText: /^Reconnecting \(attempt [2-9]\d*\)…$/ }).waitFor();
    await ada.context.unroute('**/socket.io/**');
    await waitConnected(ada.page);
    assert.equal(await ada.page.textContent('#connection-label'), 'Connected');
    // Chromium logs each refused request of an outage (net::ERR_…); anything else would be a bug in the page.
    const pageErrors = [...ada.errors, ...grace.errors].filter((e) => !e.includes('net::'));
    assert.deepEqual(pageErrors, []);
  });

  it('after a server restart, re-joins its channels and delivers what it queued while the server was down', async () => {
    const { port } = chat;
    observer.close();
    await chat.close();
    await ada.page.locator('#connection[data-state="reconnecting"]').waitFor();
    await send(ada.page, 'sent while the server restarts');
    chat = await startChat({ port, host: '127.0.0.1' });
    await waitConnected(ada.page);
    await waitConnected(grace.page);
    await waitDelivered(ada.page, 'sent while the server restarts');
    await waitDelivered(grace.page, 'sent while the server restarts');
    assert.equal(await wasRecovered(ada.page), false, 'a new server has no session to recover');
    await ada.page.locator('#member-list .member', { hasText: 'Grace' }).waitFor();
    assert.equal(await countOf(grace.page, 'sent while the server restarts'), 1);
  });
});
