// Types for server.mjs, so TypeScript callers (the browser tests) get a checked startChat.
import type { Server as HttpServer } from 'node:http';
import type { Server } from './lib/socket-server.mjs';

export interface RunningChat {
  /** Where the chat is reachable, e.g. http://127.0.0.1:3000. */
  readonly url: string;
  /** The bound port (useful with port 0). */
  readonly port: number;
  readonly io: InstanceType<typeof Server>;
  readonly httpServer: HttpServer;
  /** Stops accepting, disconnects every client, frees the port. */
  close(): Promise<void>;
}

/** Starts the chat server; `port` defaults to 3000, `host` to 127.0.0.1; with `redisUrl` it joins the other chat processes on that Redis. */
export function startChat(options?: {
  port?: number;
  host?: string;
  redisUrl?: string | undefined;
  redisKey?: string;
}): Promise<RunningChat>;
