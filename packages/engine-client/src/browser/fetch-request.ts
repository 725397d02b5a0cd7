// Polling requests in browsers through fetch (no XHR code, no polyfill).
import { startTimer } from '../timers.js';
import type { Requester } from '../transports/polling.js';

/** Performs one polling request with fetch; requestTimeout aborts it as a failure. */
export const requestWithFetch: Requester = ({ method, url, body, opts }, done) => {
  const controller = new AbortController();
  let aborted = false;
  const stopTimer = opts.requestTimeout ? startTimer(() => controller.abort(), opts.requestTimeout, opts) : undefined;
  const headers: Record<string, string> = { ...opts.extraHeaders };
  if (body !== undefined) headers['content-type'] = 'text/plain;charset=UTF-8';
  fetch(url, {
    method,
    headers,
    body: body ?? null,
    // 'same-origin', as XHR does without withCredentials: cookie-based sticky sessions keep working.
    credentials: opts.withCredentials ? 'include' : 'same-origin',
    signal: controller.signal,
  })
    .then((res) => res.text().then((text) => done(res.status, text)))
    .catch((err: unknown) => aborted || done(0, '', err))
    .finally(() => stopTimer?.());
  return () => {
    aborted = true;
    controller.abort();
  };
};
