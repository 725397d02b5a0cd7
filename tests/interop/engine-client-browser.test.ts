// Our Engine.IO client's browser entries (fetch polling, the browser's WebSocket) in headless Chromium, against
// the official engine.io server: each transport mode, ordered text and binary both ways, heartbeat timeout.
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { attach, type Server as EngineServer, type Socket as EngineServerSocket } from 'engine.io';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import type { SocketOptions, Socket as ClientSocket } from '@switchboard/engine-client';
import { closeServer, launchBrowser, startHttpServer } from '../testkit/index.js';
import { silenceOfficialSocket } from './engine-client-helpers.js';

/** Bundles an entry point the way a browser app would: esbuild, platform browser, from sources. */
async function bundle(specifier: string): Promise<string> {
  const result = await build({
    stdin: { contents: `export { Socket } from '${specifier}';`, resolveDir: process.cwd(), loader: 'ts' },
    bundle: true,
    format: 'iife',
    globalName: 'engineClient',
    platform: 'browser',
    conditions: ['switchboard-source'],
    write: false,
    logLevel: 'silent',
  });
  return (result.outputFiles[0] as { text: string }).text;
}

interface PageResult {
  transport: string;
  received: (string | number[])[];
  binaryKinds: string[];
  closeReason?: string;
}

/** Runs in the page: connect, send, collect `expected` messages, report. */
function exchangeInPage(args: {
  opts: SocketOptions;
  expected: number;
  sends: (string | number[])[];
  awaitUpgrade: boolean;
}): Promise<PageResult> {
  const { Socket } = (
    window as unknown as { engineClient: { Socket: new (uri: string, opts: SocketOptions) => ClientSocket } }
  ).engineClient;
  return new Promise((resolve, reject) => {
    const socket = new Socket(location.origin, args.opts);
    const received: (string | number[])[] = [];
    const binaryKinds: string[] = [];
    const timer = setTimeout(() => reject(new Error(`got ${JSON.stringify(received)}`)), 8000);
    let upgraded = !args.awaitUpgrade;
    const finish = (): void => {
      if (received.length < args.expected || !upgraded) return;
      clearTimeout(timer);
      const result = { transport: socket.transport.name, received, binaryKinds };
      socket.close();
      resolve(result);
    };
    socket.on('upgrade', () => {
      upgraded = true;
      finish();
    });
    socket.on('message', (data) => {
      if (typeof data === 'string') received.push(data);
      else {
        binaryKinds.push(Object.prototype.toString.call(data));
        received.push([...new Uint8Array(data as ArrayBuffer)]);
      }
      finish();
    });
    socket.on('open', () => {
      for (const item of args.sends) socket.send(typeof item === 'string' ? item : new Uint8Array(item));
    });
    socket.on('error', (err) => reject(err));
  });
}

/** Runs in the page: connect and report the close reason. */
function closeReasonInPage(opts: SocketOptions): Promise<string> {
  const { Socket } = (
    window as unknown as { engineClient: { Socket: new (uri: string, opts: SocketOptions) => ClientSocket } }
  ).engineClient;
  return new Promise((resolve, reject) => {
    const socket = new Socket(location.origin, opts);
    const timer = setTimeout(() => reject(new Error('no close')), 8000);
    socket.on('close', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

const modes: { name: string; opts: SocketOptions; final: string; upgrades: boolean }[] = [
  { name: 'polling only (fetch)', opts: { transports: ['polling'] }, final: 'polling', upgrades: false },
  { name: 'WebSocket only', opts: { transports: ['websocket'] }, final: 'websocket', upgrades: false },
  { name: 'polling upgraded to WebSocket', opts: {}, final: 'websocket', upgrades: true },
];

const entries = [
  { name: 'browser entry', specifier: '@switchboard/engine-client', modes },
  { name: 'WebSocket-only browser entry', specifier: '@switchboard/engine-client/websocket', modes: modes.slice(1, 2) },
];

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser.close();
});

for (const entry of entries) {
  describe(`engine client ${entry.name} in Chromium with the official server`, () => {
    let script: string;
    let engine: EngineServer;
    let close: () => Promise<void>;
    let page: Page;
    let silent = false;

    before(async () => {
      script = await bundle(entry.specifier);
      const serve = (req: IncomingMessage, res: ServerResponse): void => {
        if (req.url === '/client.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
        else
          res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><script src="/client.js"></script>');
      };
      const { server, port } = await startHttpServer(serve);
      engine = attach(server, { pingInterval: 200, pingTimeout: 150 });
      engine.on('connection', (socket: EngineServerSocket) => {
        if (silent) {
          silenceOfficialSocket(socket);
          return;
        }
        socket.send('s1');
        socket.send(Buffer.from([1, 2]));
        socket.on('message', (data: string | Buffer) => socket.send(data));
      });
      close = () => {
        engine.close();
        return closeServer(server);
      };
      page = await browser.newPage();
      // tsx (esbuild keepNames) wraps named functions in __name(); functions sent to page.evaluate need it too.
      await page.addInitScript('globalThis.__name = (fn) => fn');
      await page.goto(`http://127.0.0.1:${port}/`);
    });
    after(async () => {
      await page.close();
      await close();
    });

    it('bundles without Node modules', () => {
      const nodeImport = /\brequire\(|from ?"(node:[a-z]+|ws|http|https)"/.exec(script);
      assert.equal(nodeImport, null, `found ${nodeImport?.[0]}`);
      if (entry.specifier.endsWith('/websocket'))
        assert.ok(!script.includes('xhr poll error'), 'polling code was bundled');
    });

    for (const mode of entry.modes) {
      it(`exchanges text and binary both ways in order, ${mode.name}`, async () => {
        const sends = ['c1', [3, 4, 5], 'c2 ✓', []];
        const result = await page.evaluate(exchangeInPage, {
          opts: mode.opts,
          expected: 6,
          sends,
          awaitUpgrade: mode.upgrades,
        });
        assert.equal(result.transport, mode.final);
        assert.deepEqual(result.received, ['s1', [1, 2], 'c1', [3, 4, 5], 'c2 ✓', []]);
        assert.deepEqual(result.binaryKinds, Array(3).fill('[object ArrayBuffer]'));
      });

      it(`closes with 'ping timeout' when the server stops pinging, ${mode.name}`, async () => {
        silent = true;
        try {
          assert.equal(await page.evaluate(closeReasonInPage, mode.opts), 'ping timeout');
        } finally {
          silent = false;
        }
      });
    }
  });
}
