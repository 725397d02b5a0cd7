// Load check for the dashboard (not part of the default tests): 10,000 sockets on the chat, then measures what the
// dashboards receive (our aggregated `sb:*` updates vs admin-ui's per-change stream) and how responsive our page is.
// Usage: npm run build && node packages/admin/scripts/load-10k.mjs [--sockets 10000] [--seconds 15] [--churn 50]
// The clients run in a child process (raw Engine.IO/Socket.IO frames over `ws`, cheap enough for 10k on one core).
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    sockets: { type: 'string', default: '10000' },
    seconds: { type: 'string', default: '15' },
    churn: { type: 'string', default: '50' }, // sockets that reconnect each second
    events: { type: 'string', default: '200' }, // chat events sent each second
    clients: { type: 'string' }, // internal: run as the client process against this URL
  },
});
const SOCKETS = Number(args.sockets);
const SECONDS = Number(args.seconds);
const root = fileURLToPath(new URL('../../..', import.meta.url));

// ---------------------------------------------------------------- child: the 10,000 chat users
async function runClients(url) {
  const { WebSocket } = await import('ws');
  const wsUrl = `${url.replace(/^http/, 'ws').replace(/\/$/, '')}/socket.io/?EIO=4&transport=websocket`;
  const open = new Map(); // index -> ws
  let connected = 0;
  const connect = (index) =>
    new Promise((resolve) => {
      const ws = new WebSocket(wsUrl);
      const giveUp = setTimeout(() => (ws.terminate(), resolve(false)), 20_000);
      ws.on('message', (raw) => {
        const frame = raw.toString();
        if (frame.startsWith('0'))
          ws.send(`40${JSON.stringify({ userId: `load-${index}`, nickname: `load ${index}` })}`);
        else if (frame === '2')
          ws.send('3'); // Engine.IO ping -> pong
        else if (frame.startsWith('40')) {
          clearTimeout(giveUp);
          open.set(index, ws);
          connected++;
          resolve(true);
        } else if (frame.startsWith('44')) {
          clearTimeout(giveUp);
          resolve(false);
        }
      });
      ws.on('error', () => (clearTimeout(giveUp), resolve(false)));
      ws.on('close', () => {
        if (open.get(index) === ws) (open.delete(index), connected--);
      });
    });
  for (let start = 0; start < SOCKETS; start += 250) {
    await Promise.all(Array.from({ length: Math.min(250, SOCKETS - start) }, (_, i) => connect(start + i)));
    process.send?.({ type: 'progress', connected });
  }
  process.send?.({ type: 'ready', connected });
  const churn = Number(args.churn);
  const events = Number(args.events);
  let ackId = 0;
  const timer = setInterval(() => {
    for (let i = 0; i < churn; i++) {
      const index = Math.floor(Math.random() * SOCKETS);
      const ws = open.get(index);
      if (!ws) continue;
      ws.close();
      open.delete(index);
      connected--;
      void connect(index);
    }
    const sockets = [...open.values()];
    for (let i = 0; i < events && sockets.length > 0; i++) {
      sockets[Math.floor(Math.random() * sockets.length)]?.send(`42${ackId++ % 1000}["channel:list",{}]`);
    }
  }, 1000);
  process.once('disconnect', () => process.exit(0)); // the parent is gone: never linger holding 10k sockets
  process.on('message', (message) => {
    if (message?.type !== 'stop') return;
    clearInterval(timer);
    for (const ws of open.values()) ws.terminate();
    process.exit(0);
  });
}

// ---------------------------------------------------------------- parent: chat, measurements, browser
function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const pick = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const mean = sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length);
  return {
    n: sorted.length,
    mean: Math.round(mean),
    p50: pick(0.5),
    p95: pick(0.95),
    max: sorted[sorted.length - 1] ?? 0,
  };
}
const bytes = (value) => Buffer.byteLength(JSON.stringify(value));
const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function waitOnce(socket, event, timeoutMs = 30_000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
    socket.once(event, (...values) => (clearTimeout(timer), resolve(values)));
  });
}

async function timed(fn) {
  const start = performance.now();
  const value = await fn();
  return { ms: Math.round(performance.now() - start), value };
}

async function runParent() {
  const { startChat } = await import(join(root, 'examples/chat/server.mjs'));
  const { io: connectClient } = await import('socket.io-client');
  const { chromium } = await import('playwright-core');
  const chat = await startChat({ port: 0, host: '127.0.0.1' });
  const url = chat.url.replace(/\/$/, '');
  console.log(`chat at ${url}; connecting ${SOCKETS} sockets…`);

  const child = fork(
    fileURLToPath(import.meta.url),
    ['--clients', url, '--sockets', String(SOCKETS), '--churn', args.churn, '--events', args.events],
    { stdio: 'inherit' },
  );
  const connected = await new Promise((resolve, reject) => {
    child.on('message', (message) => {
      if (message.type === 'progress' && message.connected % 2000 < 250)
        console.log(`  ${message.connected} connected`);
      if (message.type === 'ready') resolve(message.connected);
    });
    child.once('exit', (code) => reject(new Error(`client process exited with ${code}`)));
  });
  console.log(
    `${connected} sockets connected; measuring for ${SECONDS} s with churn ${args.churn}/s and ${args.events} events/s`,
  );
  const report = {
    sockets: connected,
    seconds: SECONDS,
    churnPerSecond: Number(args.churn),
    eventsPerSecond: Number(args.events),
  };

  // Our dashboard's protocol: the once-a-second overview and one page at a time.
  const ours = connectClient(`${url}/admin`, {
    auth: { client: 'switchboard' },
    transports: ['websocket'],
    forceNew: true,
  });
  await waitOnce(ours, 'connect');
  const overviewSizes = [];
  ours.on('sb:overview', (overview) => overviewSizes.push(bytes(overview)));
  const firstPage = await timed(() => ours.emitWithAck('sb:sockets_page', { offset: 0, limit: 25 }));
  const deepPage = await timed(() => ours.emitWithAck('sb:sockets_page', { offset: 9000, limit: 25 }));
  const search = await timed(() => ours.emitWithAck('sb:sockets_page', { search: 'load-77', limit: 25 }));
  const rooms = await timed(() => ours.emitWithAck('sb:rooms_page', { limit: 20 }));

  // admin-ui's protocol, as the official dashboard receives it.
  const official = connectClient(`${url}/admin`, { transports: ['websocket'], forceNew: true });
  let compatMessages = 0;
  let compatBytes = 0;
  const allSockets = timed(() => waitOnce(official, 'all_sockets', 60_000));
  await waitOnce(official, 'connect');
  const [allSocketsPayload] = (await allSockets).value;
  const allSocketsMs = (await allSockets).ms;
  official.onAny((event, ...values) => {
    if (event === 'server_stats') return;
    compatMessages++;
    compatBytes += bytes(values);
  });

  // Our page in Chromium: time to the first rows, frame gaps and long tasks while the load runs.
  const browser = await chromium.launch({
    executablePath: process.env.SWITCHBOARD_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__longTasks.push(entry.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  const firstRows = await timed(async () => {
    await page.goto(`${url}/admin/`);
    await page.locator('#sockets-body tr[data-socket-id]').first().waitFor({ timeout: 60_000 });
  });
  await page.evaluate((ms) => {
    window.__frames = [];
    let last = performance.now();
    const end = last + ms;
    const tick = (now) => {
      window.__frames.push(now - last);
      last = now;
      if (now < end) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }, SECONDS * 1000);
  compatMessages = 0;
  compatBytes = 0;
  await delay(SECONDS * 1000);
  const compatWindow = { messages: compatMessages, bytes: compatBytes };
  const nextPage = await timed(async () => {
    const before = await page.textContent('#sockets-range');
    await page.click('#sockets-next');
    await page.waitForFunction((text) => document.getElementById('sockets-range')?.textContent !== text, before, {
      timeout: 30_000,
    });
  });
  const { frames, longTasks, statSockets } = await page.evaluate(() => ({
    frames: window.__frames,
    longTasks: window.__longTasks,
    statSockets: document.getElementById('stat-sockets')?.textContent,
  }));
  await page
    .screenshot({ path: join(root, 'test-results', 'screenshots', 'admin-load-10k.png'), fullPage: true })
    .catch(() => undefined);

  Object.assign(report, {
    ours: {
      overviewBytes: stats(overviewSizes),
      firstPage: { ms: firstPage.ms, bytes: bytes(firstPage.value), total: firstPage.value.total },
      pageAtOffset9000: { ms: deepPage.ms, bytes: bytes(deepPage.value) },
      search: { ms: search.ms, matches: search.value.total },
      roomsPage: { ms: rooms.ms, bytes: bytes(rooms.value), total: rooms.value.total },
      bytesPerSecond:
        Math.round(overviewSizes.reduce((a, b) => a + b, 0) / Math.max(1, overviewSizes.length)) +
        Math.round(bytes(firstPage.value) / 2),
    },
    official: {
      allSocketsBytes: bytes(allSocketsPayload),
      allSocketsMs,
      perChangeMessagesPerSecond: Math.round(compatWindow.messages / SECONDS),
      perChangeBytesPerSecond: Math.round(compatWindow.bytes / SECONDS),
    },
    page: {
      firstRowsMs: firstRows.ms,
      nextPageMs: nextPage.ms,
      frames: stats(frames.map((f) => Math.round(f))),
      longTasks: {
        count: longTasks.length,
        totalMs: Math.round(longTasks.reduce((a, b) => a + b, 0)),
        maxMs: Math.round(Math.max(0, ...longTasks)),
      },
      shownSockets: statSockets,
    },
  });
  console.log(JSON.stringify(report, null, 2));
  mkdirSync(join(root, 'test-results'), { recursive: true });
  writeFileSync(join(root, 'test-results', 'load-10k.json'), JSON.stringify(report, null, 2));

  await browser.close();
  ours.disconnect();
  official.disconnect();
  child.send({ type: 'stop' });
  await new Promise((resolve) => child.once('exit', resolve));
  await chat.close();
}

// Dispatch last: the helpers above must be initialised before either side runs.
if (args.clients !== undefined) await runClients(args.clients);
else await runParent();
