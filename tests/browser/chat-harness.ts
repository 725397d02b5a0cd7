// Shared steps for the chat browser suites: start the chat in-process, open pages as named people, read the view.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { findBrowserBundle, MISSING_BUNDLE_HINT } from '../../examples/chat/lib/client-bundle.mjs';
import { startChat, type RunningChat } from '../../examples/chat/server.mjs';
import { launchBrowser } from '../testkit/index.js';

export { startChat, launchBrowser };
export type { RunningChat, Browser, BrowserContext, Page };

/** Where screenshots go (git-ignored); look at them after a visual change. */
export const SCREENSHOT_DIR = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));

/** Upper bound for any one step on a local machine (generous: the test machine is shared and often loaded). */
export const STEP_MS = 15_000;

export interface ChatPage {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Browser errors seen so far; a healthy page has none. */
  readonly errors: string[];
  /** URLs of every WebSocket the page opened. */
  readonly webSockets: string[];
}

/**
 * Opens the chat in a fresh browser context (its own localStorage) and joins as `nickname`.
 * @param query appended to the URL, e.g. '?transports=polling'
 */
export async function openChat(
  browser: Browser,
  chat: RunningChat,
  nickname: string,
  {
    width = 1280,
    height = 800,
    query = '',
    userId,
  }: { width?: number; height?: number; query?: string; userId?: string } = {},
): Promise<ChatPage> {
  // Without the bundle every page step would time out; say what is wrong instead.
  if (findBrowserBundle() === null) throw new Error(MISSING_BUNDLE_HINT);
  const context = await browser.newContext({ viewport: { width, height } });
  context.setDefaultTimeout(STEP_MS);
  // A chosen identity (the page otherwise makes a random one), e.g. ids whose avatar colours would collide.
  if (userId !== undefined) {
    await context.addInitScript((id) => window.localStorage.setItem('switchboard-chat:user-id', id), userId);
  }
  const page = await context.newPage();
  const errors: string[] = [];
  const webSockets: string[] = [];
  page.on('websocket', (ws) => webSockets.push(ws.url()));
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(`${chat.url}/${query}`);
  await page.fill('#nickname-input', nickname);
  await page.click('#entry-form button[type="submit"]');
  await waitConnected(page);
  // The first sync (joining #general) is done once the online list includes this person.
  await page.locator('#member-list .member', { hasText: nickname }).waitFor();
  return { context, page, errors, webSockets };
}

export function waitConnected(page: Page): Promise<void> {
  return page
    .locator('#connection[data-state="connected"]')
    .waitFor()
    .then(() => undefined);
}

/** Types and sends a message through the composer, like a person would. */
export async function send(page: Page, text: string): Promise<void> {
  await page.fill('#composer-input', text);
  await page.press('#composer-input', 'Enter');
}

/** Waits until a message with exactly this text is shown as delivered. */
export async function waitDelivered(page: Page, text: string): Promise<void> {
  await page.locator('#messages .message[data-status="sent"] .text', { hasText: text }).first().waitFor();
}

/** The texts of the open conversation's messages, in display order, with their status. */
export function shownMessages(page: Page): Promise<{ text: string; status: string }[]> {
  return page.$$eval('#messages .message', (items) =>
    items.map((item) => ({
      text: item.querySelector('.text')?.textContent ?? '',
      status: item.getAttribute('data-status') ?? '',
    })),
  );
}

/** Opens a conversation from the sidebar ('#name' or a DM partner's nickname). */
export async function openConversation(page: Page, title: string): Promise<void> {
  // On narrow screens the conversation list is a drawer behind the menu button.
  await openSidebar(page);
  await page.locator('.conversation-item', { hasText: title }).first().click();
  await page.locator('#conversation-name', { hasText: title }).waitFor();
}

/** Opens the conversation drawer on narrow screens; a no-op when the list is already showing. */
export async function openSidebar(page: Page): Promise<void> {
  const isDrawer = await page.locator('#open-sidebar').isVisible();
  if (isDrawer && (await page.getAttribute('#app', 'data-panel')) !== 'sidebar') await page.click('#open-sidebar');
}

/** Saves a full-page screenshot under test-results/screenshots/. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOT_DIR}${name}.png` });
}

/** Waits until the open conversation shows `count` delivered messages starting with `prefix`; returns their texts. */
export async function waitDeliveredTexts(
  page: Page,
  prefix: string,
  count: number,
  timeoutMs = 30_000,
): Promise<string[]> {
  await page.waitForFunction(
    ([p, n]) =>
      Array.from(document.querySelectorAll('#messages .message[data-status="sent"] .text')).filter((el) =>
        (el.textContent ?? '').startsWith(p),
      ).length >= n,
    [prefix, count] as const,
    { timeout: timeoutMs },
  );
  return (await shownMessages(page)).map((m) => m.text).filter((text) => text.startsWith(prefix));
}

/** Opens the chat's admin dashboard (/admin, no password on loopback) in a page of its own. */
export async function openDashboard(browser: Browser, chat: RunningChat): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  page.setDefaultTimeout(STEP_MS);
  await page.goto(`${chat.url}/admin/`);
  await page.locator('#dashboard').waitFor();
  return page;
}

/** Searches the dashboard's socket list and returns the row of the one socket whose data shows `nickname`. */
export async function dashboardRow(dashboard: Page, nickname: string): Promise<ReturnType<Page['locator']>> {
  await dashboard.fill('#sockets-search', nickname);
  const row = dashboard.locator('#sockets-body tr[data-socket-id]', { hasText: nickname });
  await row.first().waitFor();
  return row.first();
}

/** The hue the chat page's first avatar colouring derived from a user id (examples/chat/public/js/format.js hueOf). */
export function rawHue(id: string): number {
  let hash = 0;
  for (let i = 0; i < id.length; i++) hash = (hash * 31 + id.charCodeAt(i)) >>> 0;
  return hash % 360;
}

/** `count` valid user ids that all hash to the same hue, so their avatars would look alike without care. */
export function collidingUserIds(count: number): string[] {
  const byHue = new Map<number, string[]>();
  for (let n = 0; n < 100_000; n++) {
    const id = `tester-${n.toString(36).padStart(6, '0')}`;
    const ids = byHue.get(rawHue(id)) ?? [];
    ids.push(id);
    if (ids.length === count) return ids;
    byHue.set(rawHue(id), ids);
  }
  throw new Error(`no ${count} ids with one hue`);
}
