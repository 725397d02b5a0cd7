// A Switchboard server with instrument() and our dashboard at /admin, plus node clients in rooms, for browser tests.
import { mkdirSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import bcrypt from 'bcryptjs';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { Server, type ServerOptions } from '@switchboard/server';
import { createAdminHandler, instrument, type InstrumentOptions, type Instrumentation } from '@switchboard/admin';

export const ADMIN_PASSWORD = 'correct horse';
export const ADMIN_HASH = bcrypt.hashSync(ADMIN_PASSWORD, 4);

export interface AdminApp {
  url: string;
  io: Server;
  users: ClientSocket[];
  close(): Promise<void>;
}

function once(client: ClientSocket, event: string, timeoutMs = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
    client.once(event, () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Starts the server; `users` named clients connect to `/`, each joining `room-<n % 2>` and its own `user:<name>`. */
export async function startAdminApp(
  options: Partial<InstrumentOptions>,
  userNames: readonly string[],
  serverOptions: Partial<ServerOptions> = {},
): Promise<AdminApp> {
  const handler = createAdminHandler({ basePath: '/admin' });
  const http: HttpServer = createServer((req, res) => {
    if (!handler(req, res)) res.writeHead(404).end();
  });
  const io = new Server(http, serverOptions);
  const admin: Instrumentation = instrument(io, { auth: false, ...options });
  io.on('connection', (socket) => {
    const name = String(socket.handshake.auth['name']);
    const index = userNames.indexOf(name);
    void socket.join([`user:${name}`, index % 2 === 0 ? 'lobby' : 'support']);
    socket.on('chat', (text: unknown) => socket.emit('chat', { from: name, text }));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const users = userNames.map((name) =>
    connect(url, { auth: { name }, transports: ['websocket'], reconnection: false, forceNew: true }),
  );
  await Promise.all(users.map((user) => once(user, 'connect')));
  return {
    url,
    io,
    users,
    async close() {
      for (const user of users) user.disconnect();
      admin.close();
      await io.close();
    },
  };
}

/** Waits for a disconnect of `client` and returns its reason. */
export function nextDisconnect(client: ClientSocket, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no disconnect within ${timeoutMs} ms`)), timeoutMs);
    client.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

/** Saves a full-page screenshot under test-results/screenshots/ (git-ignored). */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = join(process.cwd(), 'test-results', 'screenshots');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}
