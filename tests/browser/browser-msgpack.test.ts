// Browser, msgpack: a server given socket.io-msgpack-parser as its `parser` serves `socket.io.msgpack.min.js`, and a
// page in headless Chromium that loads it from there exchanges binary both ways, over WebSocket only and polling
// only. Run against socket.io 4.8 with its own msgpack bundle (proving the suite) and against ours.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Server as HttpServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import type { Server } from 'socket.io';
import type { io as ioFunction } from 'socket.io-client';
import * as msgpackParser from 'socket.io-msgpack-parser';
import {
  closeServer,
  failNotReady,
  launchBrowser,
  officialServer,
  serverImplementations,
  startHttpServer,
  type BrowserTransport,
  type ServerImplementation,
} from '../testkit/index.js';

const PAGE_TIMEOUT_MS = 8000;
const BUNDLE = 'socket.io.msgpack.min.js';

/** Each server serves the msgpack bundle of the client package it ships with. */
const SERVED_BUNDLE = {
  official: fileURLToPath(new URL(`../../node_modules/socket.io/client-dist/${BUNDLE}`, import.meta.url)),
  ours: fileURLToPath(new URL(`../../packages/client/dist/browser/${BUNDLE}`, import.meta.url)),
};

const PAGE_HTML = [
  '<!doctype html><html><head><meta charset="utf-8"><title>switchboard msgpack</title></head><body>',
  `<script src="/socket.io/${BUNDLE}"></script>`,
  '</body></html>',
].join('');

/** What the page reports back. */
interface PageResult {
  transport: string;
  /** What the server saw of the client's two binary arguments. */
  received: { types: string[]; bytes: number[][] };
  /** The server's Buffer in the ack, as the page got it. */
  ackBytes: number[];
  ackType: string;
  /** The server's own binary event, as the page got it. */
  eventBytes: number[];
  eventType: string;
}

/** Runs in the page: connects with only `transport`, sends binary with an ack, and waits for the server's binary event. */
async function exchange({
  transport,
  timeoutMs,
}: {
  transport: BrowserTransport;
  timeoutMs: number;
}): Promise<PageResult> {
  const io = (globalThis as unknown as { io?: typeof ioFunction }).io;
  if (!io) throw new Error(`socket.io.msgpack.min.js did not define io`);
  const socket = io({ transports: [transport], reconnection: false, forceNew: true, timeout: timeoutMs });
  try {
    // A server that cannot decode the client (another codec) drops the connection without a connect_error.
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no connect within ${timeoutMs} ms`)), timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.once('connect_error', reject);
    });
    const event = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no binary event within ${timeoutMs} ms`)), timeoutMs);
      socket.once('binary', (data: unknown) => {
        clearTimeout(timer);
        resolve(data);
      });
    });
    const ack = (await socket
      .timeout(timeoutMs)
      // ArrayBuffers: notepack's browser encoder writes those as msgpack bin (a Uint8Array would go as a map, with the
      // official bundle as with ours).
      .emitWithAck('upload', new Uint8Array([1, 2, 255]).buffer, new Uint8Array([0, 128]).buffer)) as {
      received: { types: string[]; bytes: number[][] };
      bytes: ArrayBuffer;
    };
    const fromServer = (await event) as ArrayBuffer;
    return {
      transport: socket.io.engine.transport.name,
      received: ack.received,
      ackBytes: Array.from(new Uint8Array(ack.bytes)),
      ackType: Object.prototype.toString.call(ack.bytes),
      eventBytes: Array.from(new Uint8Array(fromServer)),
      eventType: Object.prototype.toString.call(fromServer),
    };
  } finally {
    socket.disconnect();
  }
}

let browser: Browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser.close();
});

function describeServer(impl: ServerImplementation, servedBundle: string): void {
  let http: HttpServer;
  let io: Server;
  let page: Page;
  let origin: string;

  before(async () => {
    const started = await startHttpServer((request, response) => {
      if (request.url === '/') response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE_HTML);
      else response.writeHead(404).end();
    });
    http = started.server;
    io = impl.create(http, { parser: msgpackParser });
    io.on('connection', (socket) => {
      socket.on('upload', (first: unknown, second: unknown, ack: (reply: unknown) => void) => {
        const args = [first, second];
        ack({
          received: {
            types: args.map((arg) => (Buffer.isBuffer(arg) ? 'Buffer' : Object.prototype.toString.call(arg))),
            bytes: args.map((arg) => (Buffer.isBuffer(arg) ? [...arg] : [])),
          },
          bytes: Buffer.from([9, 8, 7]),
        });
        socket.emit('binary', Buffer.from([4, 5, 6]));
      });
    });
    origin = `http://127.0.0.1:${started.port}`;
    page = await browser.newPage();
    await page.goto(`${origin}/`, { timeout: PAGE_TIMEOUT_MS });
    await page.waitForFunction(() => typeof (globalThis as { io?: unknown }).io === 'function', undefined, {
      timeout: PAGE_TIMEOUT_MS,
    });
  });

  after(async () => {
    await page?.close();
    void io?.close();
    if (http) await closeServer(http);
  });

  it(`serves /socket.io/${BUNDLE} byte for byte from its client package`, async () => {
    const response = await fetch(`${origin}/socket.io/${BUNDLE}`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/javascript; charset=utf-8');
    const body = Buffer.from(await response.arrayBuffer());
    assert.ok(body.equals(readFileSync(servedBundle)), `differs from ${servedBundle}`);
  });

  for (const transport of ['websocket', 'polling'] as const) {
    it(`exchanges binary both ways over ${transport} only, as ArrayBuffers in the page and Buffers on the server`, async () => {
      const result = await page.evaluate(exchange, { transport, timeoutMs: PAGE_TIMEOUT_MS / 2 });
      assert.equal(result.transport, transport);
      assert.deepEqual(result.received, {
        types: ['Buffer', 'Buffer'],
        bytes: [
          [1, 2, 255],
          [0, 128],
        ],
      });
      assert.deepEqual(result.ackBytes, [9, 8, 7]);
      assert.equal(result.ackType, '[object ArrayBuffer]');
      assert.deepEqual(result.eventBytes, [4, 5, 6]);
      assert.equal(result.eventType, '[object ArrayBuffer]');
    });
  }
}

for (const impl of await serverImplementations()) {
  describe(`${impl.name} with socket.io-msgpack-parser and its msgpack bundle in headless Chromium`, () => {
    if (impl.notReady !== undefined) failNotReady(impl.notReady);
    else describeServer(impl, impl === officialServer ? SERVED_BUNDLE.official : SERVED_BUNDLE.ours);
  });
}
