// The chat that `npm start` runs: HTTP for the browser app, Socket.IO for the chat, state in memory, shared with the
// other chat processes through Redis when REDIS_URL is set.
// Run: node examples/chat/server.mjs   (PORT, default 3000; HOST, default 127.0.0.1; REDIS_URL; DEBUG=switchboard:*)
import { createServer } from 'node:http';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { mountAdmin } from './lib/admin-mount.mjs';
import { attachChat } from './lib/chat-handlers.mjs';
import { ChatStore } from './lib/chat-store.mjs';
import { connectRedis } from './lib/redis.mjs';
import { SharedChatStore } from './lib/shared-store.mjs';
import { findBrowserBundle, MISSING_BUNDLE_HINT } from './lib/client-bundle.mjs';
import { readConfig } from './lib/config.mjs';
import { Server } from './lib/socket-server.mjs';
import { serveStatic } from './lib/static-files.mjs';

/** How long a dropped client can be gone and still get its missed messages and rooms back. */
const RECOVERY_WINDOW_MS = 2 * 60 * 1000;

/**
 * @typedef {object} RunningChat
 * @property {string} url where the chat is reachable, e.g. http://127.0.0.1:3000
 * @property {number} port the bound port (useful with port 0)
 * @property {import('./lib/socket-server.mjs').Server} io
 * @property {import('node:http').Server} httpServer
 * @property {() => Promise<void>} close stops accepting, disconnects every client, frees the port
 */

/**
 * Starts the chat server; with `redisUrl`, it joins the other chat processes on that Redis.
 * @param {{ port?: number, host?: string, redisUrl?: string | undefined, redisKey?: string }} [options]
 * @returns {Promise<RunningChat>}
 * @example
 * const chat = await startChat({ port: 0, host: '127.0.0.1' });
 * console.log(chat.url);
 * await chat.close();
 */
export async function startChat({ port = 3000, host = '127.0.0.1', redisUrl, redisKey = 'switchboard-chat' } = {}) {
  const redis = redisUrl === undefined ? undefined : await connectRedis(redisUrl, redisKey);
  /** @type {import('./lib/admin-mount.mjs').HttpHandler | undefined} */
  let adminHandler;
  const httpServer = createServer((req, res) => {
    if (adminHandler?.(req, res) === true) return;
    serveStatic(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  const io = new Server(httpServer, {
    serveClient: true, // the browser bundle at /socket.io/socket.io.js
    connectionStateRecovery: { maxDisconnectionDuration: RECOVERY_WINDOW_MS, skipMiddlewares: true },
    maxHttpBufferSize: 64 * 1024, // chat lines are small; refuse anything larger
    // A page that went away without closing (network lost, laptop shut) is shown offline within ~8 s, not ~45 s.
    pingInterval: 5000,
    pingTimeout: 3000,
    ...(redis === undefined ? {} : { adapter: redis.adapter }),
  });
  const store = redis === undefined ? new ChatStore() : new SharedChatStore();
  attachChat(io, store);
  if (store instanceof SharedChatStore) await store.attach(io);
  adminHandler = mountAdmin(io);

  await new Promise((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, host, () => {
      httpServer.off('error', reject);
      resolve(undefined);
    });
  });
  const address = httpServer.address();
  const boundPort = typeof address === 'object' && address !== null ? address.port : port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${boundPort}`,
    port: boundPort,
    io,
    httpServer,
    close: () =>
      /** @type {Promise<void>} */ (
        new Promise((resolve) => {
          io.close(() => resolve());
          httpServer.closeAllConnections();
        })
      ).then(() => redis?.quit()),
  };
}

async function main() {
  const config = readConfig(process.env);
  if (findBrowserBundle() === null) console.warn(MISSING_BUNDLE_HINT);
  const chat = await startChat({
    port: config.port,
    host: config.host,
    redisUrl: config.redisUrl,
    redisKey: config.redisKey,
  });
  const adapter =
    config.redisUrl === undefined ? 'in-memory adapter' : `Redis adapter on ${redactPassword(config.redisUrl)}`;
  console.log(`Switchboard chat listening on ${chat.url} (${adapter})`);
  if (config.host === '127.0.0.1' || config.host === 'localhost') {
    console.log('Only this machine can connect; set HOST=0.0.0.0 to open it to your LAN.');
  }
  const stop = () => {
    console.log('Shutting down…');
    chat.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** The URL as it may be printed: a password in it is replaced by ***. @param {string} url */
function redactPassword(url) {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'REDIS_URL';
  }
}

const isEntryPoint = process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (isEntryPoint) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
