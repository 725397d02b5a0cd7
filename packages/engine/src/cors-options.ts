// The CORS options the engine hands to the `cors` package, declared here so that the published types need no
// `@types/cors` at install time (type packages stay out of a production install).
import type { IncomingHttpHeaders } from 'node:http';

/** An allowed origin: `true` reflects the request's origin, `false` disables CORS, or a list to match against. */
export type CorsStaticOrigin = boolean | string | RegExp | Array<boolean | string | RegExp>;

/** Decides the allowed origin per request, as the `cors` package's `origin` function does. */
export type CorsCustomOrigin = (
  requestOrigin: string | undefined,
  callback: (err: Error | null, origin?: CorsStaticOrigin) => void,
) => void;

/** The options of the `cors` package (https://github.com/expressjs/cors#configuration-options). */
export interface CorsOptions {
  /** @default '*' */
  origin?: CorsStaticOrigin | CorsCustomOrigin | undefined;
  /** @default 'GET,HEAD,PUT,PATCH,POST,DELETE' */
  methods?: string | string[] | undefined;
  allowedHeaders?: string | string[] | undefined;
  exposedHeaders?: string | string[] | undefined;
  credentials?: boolean | undefined;
  maxAge?: number | undefined;
  /** @default false */
  preflightContinue?: boolean | undefined;
  /** @default 204 */
  optionsSuccessStatus?: number | undefined;
}

/** What a per-request CORS decision sees of the request. */
export interface CorsRequest {
  method?: string | undefined;
  headers: IncomingHttpHeaders;
}

/** Chooses the CORS options per request. */
export type CorsOptionsDelegate<T extends CorsRequest = CorsRequest> = (
  req: T,
  callback: (err: Error | null, options?: CorsOptions) => void,
) => void;
