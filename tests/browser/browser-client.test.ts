// Browser: prebuilt client bundles (the official one proves the suite, then @switchboard/client's classic and ESM
// bundles, and the bundle each server serves itself) loaded by a page in headless Chromium, talking to each server
// implementation over WebSocket only, over polling only, and with the default polling-then-upgrade: connect, emit
// with an ack (binary included), receive a broadcast. One browser per file, one page per server.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import type { Server } from 'socket.io';
import type { io as ioFunction } from 'socket.io-client';
import {
  browserBundles,
  closeServer,
  failNotReady,
  launchBrowser,
  officialServer,
  serverImplementations,
  startHttpServer,
  type BrowserBundle,
  type BrowserTransport,
  type ServerImplementation,
} from '../testkit/index.js';

const PAGE_TIMEOUT_MS = 8000;

/** What the page reports back after its exchange with the server. */
interface PageResult {
  id: string;
  transport: string;
  ack: { greeting: string; bytes: number[]; transport: string };
  /** What the binary in the ack arrived as: '[object ArrayBuffer]' with socket.io-client's default binaryType. */
  bytesType: string;
  news: unknown[];
}

declare global {
  interface Window {
    io?: typeof ioFunction;
    clients?: Record<number, typeof ioFunction | undefined>;
  }
}

let browser: Browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser.close();
});

/**
 * One page loads every bundle, each saved as `window.clients[i]` right after it runs: classic bundles in document
 * order (each overwrites `window.io`, so it is copied at once), module bundles by import. One page load per
 * server keeps the file fast; every exchange still creates its own Manager (`forceNew`).
 */
function pageHtml(bundles: readonly BrowserBundle[]): string {
  const loaders = bundles.map((bundle, index) =>
    bundle.kind === 'classic'
      ? // window.io is cleared first so a bundle that fails to define it cannot pass with the previous one
        `<script>window.io = undefined;</script><script src="/bundle/${index}"></script>` +
        `<script>window.clients[${index}] = window.io;</script>`
      : `<script type="module">import { io } from "/bundle/${index}"; window.clients[${index}] = io;</script>`,
  );
  return [
    '<!doctype html><html><head><meta charset="utf-8"><title>switchboard</title></head><body>',
    '<script>window.clients = {};</script>',
    ...loaders,
    '</body></html>',
  ].join('');
}

/** A page that takes the client from the Socket.IO server itself (`serveClient`, on by default). */
const SERVED_PAGE_HTML = [
  '<!doctype html><html><head><meta charset="utf-8"><title>switchboard</title></head><body>',
  '<script src="/socket.io/socket.io.min.js"></script><script>window.clients = { 0: window.io };</script>',
  '</body></html>',
].join('');

/**
 * Serves the page at `/`, the serveClient page at `/served` and bundle i at `/bundle/<i>`; Socket.IO's own path
 * never reaches this handler.
 */
function servePage(bundles: readonly BrowserBundle[]): (request: IncomingMessage, response: ServerResponse) => void {
  const html = pageHtml(bundles);
  const scripts = bundles.map((bundle) => readFileSync(bundle.path));
  return (request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const script = scripts[Number(/^\/bundle\/(\d+)$/.exec(path)?.[1])];
    if (path === '/') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    } else if (path === '/served') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(SERVED_PAGE_HTML);
    } else if (script) {
      response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(script);
    } else {
      response.writeHead(404).end();
    }
  };
}

/** Runs in the page: connects with only `transports`, emits with an ack, and waits for the broadcast. */
async function exchange({
  bundle,
  transports,
  timeoutMs,
}: {
  bundle: number;
  /** Omitted: the bundle's defaults, polling then the upgrade to WebSocket, which is awaited. */
  transports?: BrowserTransport[];
  timeoutMs: number;
}): Promise<PageResult> {
  const io = window.clients?.[bundle];
  if (!io) throw new Error(`bundle ${bundle} did not define io`);
  const socket = io({ ...(transports ? { transports } : {}), reconnection: false, forceNew: true, timeout: timeoutMs });
  try {
    // registered before connecting so an upgrade that completes early is not missed
    const upgraded = new Promise<void>((resolve, reject) => {
      if (transports) {
        resolve();
        return;
      }
      const timer = setTimeout(() => reject(new Error('no upgrade to websocket')), timeoutMs);
      socket.io.engine.once('upgrade', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    await upgraded;
    const news = new Promise<unknown[]>((resolve) => socket.once('news', (...args: unknown[]) => resolve(args)));
    const ack = (await socket.timeout(timeoutMs).emitWithAck('hello', 'browser')) as {
      greeting: string;
      bytes: ArrayBuffer;
      transport: string;
    };
    return {
      id: socket.id ?? '',
      transport: socket.io.engine.transport.name,
      ack: { greeting: ack.greeting, bytes: Array.from(new Uint8Array(ack.bytes)), transport: ack.transport },
      bytesType: Object.prototype.toString.call(ack.bytes),
      news: await news,
    };
  } finally {
    socket.disconnect();
  }
}

function describeServer(
  impl: ServerImplementation,
  bundles: readonly BrowserBundle[],
  served: { path: string; notReady?: string | undefined },
): void {
  const servedNotReady = served.notReady;
  let http: HttpServer;
  let io: Server;
  let page: Page;
  let origin: string;
  const ready = bundles.flatMap((bundle, index) => (bundle.notReady === undefined ? [index] : []));

  before(async () => {
    const started = await startHttpServer(servePage(bundles));
    http = started.server;
    io = impl.create(http);
    io.on('connection', (socket) => {
      socket.on('hello', (name: string, ack: (reply: unknown) => void) => {
        ack({ greeting: `hi ${name}`, bytes: Buffer.from([1, 2, 255]), transport: socket.conn.transport.name });
        // the page listens for "news" before it emits "hello", so this broadcast cannot outrun its listener
        io.emit('news', 'for everyone', { n: 1 });
      });
    });
    origin = `http://127.0.0.1:${started.port}`;
    page = await browser.newPage();
    await page.goto(`${origin}/`, { timeout: PAGE_TIMEOUT_MS });
    await page.waitForFunction((expected) => expected.every((i) => typeof window.clients?.[i] === 'function'), ready, {
      timeout: PAGE_TIMEOUT_MS,
    });
  });

  after(async () => {
    await page.close();
    void io.close();
    await closeServer(http);
  });

  bundles.forEach((bundle, index) => {
    describe(`with ${bundle.name}`, () => {
      if (bundle.notReady !== undefined) {
        failNotReady(bundle.notReady);
        return;
      }
      for (const transport of bundle.transports) {
        it(`connects over ${transport} only, gets an ack with binary, and receives a broadcast`, async () => {
          const result = await page.evaluate(exchange, {
            bundle: index,
            transports: [transport],
            timeoutMs: PAGE_TIMEOUT_MS / 2,
          });
          assert.equal(result.transport, transport);
          assert.ok(result.id.length > 0, 'the socket got an id');
          assert.deepEqual(result.ack, { greeting: 'hi browser', bytes: [1, 2, 255], transport });
          assert.equal(
            result.bytesType,
            '[object ArrayBuffer]',
            'binary arrives as an ArrayBuffer, as with socket.io-client',
          );
          assert.deepEqual(result.news, ['for everyone', { n: 1 }]);
        });
      }
      if (bundle.transports.includes('polling')) {
        it('starts on polling with the default transports and upgrades to websocket', async () => {
          const result = await page.evaluate(exchange, { bundle: index, timeoutMs: PAGE_TIMEOUT_MS / 2 });
          assert.equal(result.transport, 'websocket');
          assert.deepEqual(result.ack, { greeting: 'hi browser', bytes: [1, 2, 255], transport: 'websocket' });
          assert.equal(
            result.bytesType,
            '[object ArrayBuffer]',
            'binary arrives as an ArrayBuffer, as with socket.io-client',
          );
          assert.deepEqual(result.news, ['for everyone', { n: 1 }]);
        });
      }
    });
  });

  describe("with the client from the server's own serveClient path", () => {
    if (servedNotReady !== undefined) {
      failNotReady(servedNotReady);
      return;
    }
    let servedPage: Page;

    before(async () => {
      servedPage = await browser.newPage();
      await servedPage.goto(`${origin}/served`, { timeout: PAGE_TIMEOUT_MS });
      await servedPage.waitForFunction(() => typeof window.clients?.[0] === 'function', undefined, {
        timeout: PAGE_TIMEOUT_MS,
      });
    });

    after(async () => {
      await servedPage.close();
    });

    it('serves its own client bundle byte for byte', async () => {
      const response = await fetch(`${origin}/socket.io/socket.io.min.js`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /javascript/);
      const body = Buffer.from(await response.arrayBuffer());
      assert.ok(body.equals(readFileSync(served.path)), `differs from ${served.path}`);
    });

    for (const transport of ['websocket', 'polling'] as const) {
      it(`connects over ${transport} only, gets an ack with binary, and receives a broadcast`, async () => {
        const result = await servedPage.evaluate(exchange, {
          bundle: 0,
          transports: [transport],
          timeoutMs: PAGE_TIMEOUT_MS / 2,
        });
        assert.equal(result.transport, transport);
        assert.deepEqual(result.ack, { greeting: 'hi browser', bytes: [1, 2, 255], transport });
        assert.deepEqual(result.news, ['for everyone', { n: 1 }]);
      });
    }
  });
}

const bundles = browserBundles();
// ours serves the copy that @switchboard/server carries in client-dist/ (copied from the client at build)
const OURS_SERVED_PATH = fileURLToPath(new URL('../../packages/server/client-dist/socket.io.min.js', import.meta.url));
const oursServed = existsSync(OURS_SERVED_PATH)
  ? { path: OURS_SERVED_PATH }
  : { path: OURS_SERVED_PATH, notReady: `${OURS_SERVED_PATH} does not exist; build it with \`npm run build\`` };
// socket.io serves the copy of the client that it ships in its own package
const OFFICIAL_SERVED = {
  path: fileURLToPath(new URL('../../node_modules/socket.io/client-dist/socket.io.min.js', import.meta.url)),
};

for (const impl of await serverImplementations()) {
  describe(`${impl.name} with a browser client in headless Chromium`, () => {
    if (impl.notReady !== undefined) failNotReady(impl.notReady);
    // the official server serves the official client; ours serves @switchboard/client's built bundle
    else describeServer(impl, bundles, impl === officialServer ? OFFICIAL_SERVED : oursServed);
  });
}
