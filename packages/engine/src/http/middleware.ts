// Connect-style middlewares run before every engine request (`server.use()`, and `cors` when configured), including
// upgrades, for which a stand-in response collects the headers they set.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * A Connect/Express-style middleware; engine.io passes upgrades a minimal response object. Declared as a method so
 * its parameters are compared both ways: handlers typed for Express's `Request`/`Response` (express-session,
 * passport) are accepted, as socket.io accepts them.
 */
export type Middleware = {
  handle(req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void): void;
}['handle'];

/** Runs `middlewares` in order; resolves when all called `next()`, rejects on the first error. */
export async function runMiddlewares(
  middlewares: readonly Middleware[],
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  for (const middleware of middlewares) {
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      const next = (err?: unknown): void => {
        if (settled) return;
        settled = true;
        if (err !== undefined && err !== null) reject(err instanceof Error ? err : new Error(String(err)));
        else resolve();
      };
      try {
        // eslint-disable-next-line @typescript-eslint/no-confusing-void-expression -- express 5 middlewares may return a promise
        const result: unknown = middleware(req, res, next);
        if (result instanceof Promise) result.catch(next);
      } catch (err) {
        next(err);
      }
    });
  }
}

/**
 * What middlewares see as the response of an upgrade: header calls are recorded (and later added to the 101
 * answer), `end()` means the middleware refused, which destroys the socket.
 */
export class UpgradeResponse {
  readonly headers: OutgoingHttpHeaders = {};
  headersSent = false;
  readonly #socket: Duplex;

  constructor(socket: Duplex) {
    this.#socket = socket;
  }

  setHeader(name: string, value: number | string | string[]): this {
    this.headers[name] = value;
    return this;
  }

  getHeader(name: string): number | string | string[] | undefined {
    return this.headers[name];
  }

  removeHeader(name: string): void {
    delete this.headers[name];
  }

  writeHead(): this {
    return this;
  }

  write(): boolean {
    return true;
  }

  end(): this {
    this.headersSent = true;
    this.#socket.destroy();
    return this;
  }
}
