// Drives the pages that socket.io's examples serve, in the system's headless Chromium (never a downloaded one): each
// driver does what a user of the example would do and resolves with what it saw, or throws saying what did not happen.
import { chromium } from 'playwright-core';

const CHROMIUM_PATH = process.env.SWITCHBOARD_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

/** Launches Chromium; `ignoreHTTPSErrors` contexts let the http2 example's self-signed certificate through. */
export function launch() {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ARGS, timeout: 20_000 });
}

/**
 * Opens `url` in a fresh context, recording page errors so a driver can report them. Offline: requests to other
 * hosts (any port of the example's host is fine) are refused, except those `routes` maps to a local file (a CDN script installed from npm).
 */
async function open(browser, url, routes = {}) {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const host = new URL(url).hostname;
  await context.route(
    (u) => u.hostname !== host,
    (route) => {
      const file = routes[route.request().url()];
      return file ? route.fulfill({ path: file, contentType: 'application/javascript' }) : route.abort();
    },
  );
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(url, { timeout: 10_000 });
  return { page, context, errors };
}

/** Waits for `selector`'s text to match; on timeout, the error names what the page showed instead. */
/* global document -- the waitForFunction callbacks run in the page */
async function textOf(page, selector, pattern, errors, timeout = 10_000) {
  try {
    await page.waitForFunction(
      ([s, p]) => new RegExp(p).test(document.querySelector(s)?.textContent ?? ''),
      [selector, pattern.source],
      { timeout },
    );
  } catch {
    const shown = await page.textContent(selector).catch(() => 'nothing');
    throw new Error(
      `${selector} shows "${shown?.trim()}" instead of ${pattern}${errors.length ? `; page errors: ${errors.slice(0, 2).join(' | ')}` : ''}`,
    );
  }
  return (await page.textContent(selector))?.trim();
}

/** The drivers, by name; each takes (browser, baseUrl, routes) and returns a short description of what worked. */
export const PAGES = {
  async chat(browser, url, routes) {
    const a = await open(browser, url, routes);
    const b = await open(browser, url, routes);
    for (const [p, name] of [
      [a.page, 'alice'],
      [b.page, 'bob'],
    ]) {
      await p.fill('.usernameInput', name);
      await p.press('.usernameInput', 'Enter');
    }
    await textOf(b.page, '.messages', /alice|bob/, b.errors);
    await a.page.fill('.inputMessage', 'hello from alice');
    await a.page.press('.inputMessage', 'Enter');
    await textOf(b.page, '.messages', /hello from alice/, b.errors);
    await a.context.close();
    await b.context.close();
    return 'two pages log in, a message reaches the other';
  },

  async whiteboard(browser, url) {
    const a = await open(browser, url);
    const b = await open(browser, url);
    // A stroke on one page arrives as a `drawing` event on the other (seen in its WebSocket or polling traffic).
    const received = new Promise((resolve) => {
      b.page.on('websocket', (ws) =>
        ws.on('framereceived', (f) => String(f.payload).includes('"drawing"') && resolve('websocket')),
      );
      b.page.on('response', async (r) => {
        if (r.url().includes('transport=polling') && (await r.text().catch(() => '')).includes('"drawing"'))
          resolve('polling');
      });
    });
    await b.page.waitForTimeout(1000);
    await a.page.mouse.move(100, 100);
    await a.page.mouse.down();
    for (let i = 1; i <= 10; i++) await a.page.mouse.move(100 + i * 20, 100 + i * 10, { steps: 2 });
    await a.page.mouse.up();
    const via = await Promise.race([received, new Promise((r) => setTimeout(() => r(null), 8000))]);
    if (!via)
      throw new Error(
        `no drawing event reached the second page${b.errors.length ? `; page errors: ${b.errors.join(' | ')}` : ''}`,
      );
    await a.context.close();
    await b.context.close();
    return `a stroke on one page reaches the other (${via})`;
  },

  async 'connection-state-recovery'(browser, url) {
    const a = await open(browser, url);
    await textOf(a.page, '#connectionStatus', /^connected$/, a.errors);
    // The page closes its own engine after 1-6 s and reconnects 5 s later: the session must come back recovered.
    await textOf(a.page, '#recoveryStatus', /^true$/, a.errors, 20_000);
    await textOf(a.page, '#messages', /\S/, a.errors);
    await a.context.close();
    return 'connects, the page drops its engine, the session is recovered (socket.recovered true)';
  },

  async 'express-session'(browser, url) {
    const a = await open(browser, url);
    await textOf(a.page, '#ioStatus', /^connected$/, a.errors);
    await a.page.click('text=Increment with fetch()');
    await textOf(a.page, '#httpCount', /^1$/, a.errors);
    // The HTTP increment is pushed to the socket joined to the session's room; then the socket's own increment.
    await textOf(a.page, '#ioCount', /^1$/, a.errors);
    await a.page.click('text=Increment with Socket.IO emit()');
    await textOf(a.page, '#ioCount', /^2$/, a.errors);
    await a.page.click('text=Logout');
    await textOf(a.page, '#ioStatus', /^disconnected$/, a.errors);
    await a.context.close();
    return 'session shared by HTTP and socket (counts 1, 2), logout disconnects the socket';
  },

  async passport(browser, url) {
    const a = await open(browser, url);
    await a.page.fill('#username', 'john');
    await a.page.fill('#password', 'changeit');
    await a.page.click('input[type=submit]');
    await textOf(a.page, '#status', /^connected$/, a.errors);
    await textOf(a.page, '#username', /^john$/, a.errors);
    await a.page.click('input[value="Log out"]');
    // The logout destroys the session and disconnects the sockets in its room.
    await textOf(a.page, '#status', /^disconnected$/, a.errors);
    await a.context.close();
    return 'log in, socket connected as john (req.user), logout disconnects it';
  },

  async 'passport-jwt'(browser, url) {
    const a = await open(browser, url);
    await a.page.click('#login-form input[type=submit]');
    await textOf(a.page, '#status', /^connected$/, a.errors);
    await textOf(a.page, '#name', /^john$/, a.errors);
    await a.context.close();
    return 'log in, socket connected with the bearer token as john';
  },

  async 'custom-parsers'(browser, url) {
    const a = await open(browser, url);
    const logs = [];
    a.page.on('console', (m) => logs.push(m.text()));
    const tags = ['default', 'msgpack', 'json', 'custom'];
    // Each server emits after 1-4 s: string, numeric and binary, each through its own parser.
    const all = () =>
      tags.every((t) => ['string', 'numeric', 'binary'].every((e) => logs.some((l) => l.startsWith(`[${t}] [${e}]`))));
    for (let i = 0; i < 100 && !all(); i++) await a.page.waitForTimeout(100);
    const missing = tags.flatMap((t) =>
      ['string', 'numeric', 'binary']
        .filter((e) => !logs.some((l) => l.startsWith(`[${t}] [${e}]`)))
        .map((e) => `${t}/${e}`),
    );
    if (missing.length)
      throw new Error(
        `not received: ${missing.join(', ')}${a.errors.length ? `; page errors: ${a.errors.slice(0, 2).join(' | ')}` : ''}`,
      );
    if (!tags.every((t) => logs.some((l) => l.startsWith(`[${t}] size=`))))
      throw new Error('the engine emitted no `data` events');
    await a.context.close();
    return 'the 4 parsers (default, msgpack, json, schemapack) each deliver string, numeric and binary; engine `data` sizes logged';
  },

  async http2(browser, url) {
    const a = await open(browser, url);
    await textOf(a.page, '#status', /^connected$/, a.errors);
    await textOf(a.page, '#transport', /^websocket$/, a.errors);
    await a.context.close();
    return 'connects over HTTPS to the HTTP/2 secure server, upgrades to websocket';
  },
};
