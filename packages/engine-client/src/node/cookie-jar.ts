// Cookies for Node clients with `withCredentials`: what a browser would do, so cookie-based sticky sessions
// (a load balancer's affinity cookie, engine.io's `io` cookie) keep one client on one server.

/** The cookies one socket received, sent back on its later requests and on the WebSocket handshake. */
export class CookieJar {
  /** name -> value and expiry (ms since the epoch; Infinity for session cookies). */
  #cookies = new Map<string, { value: string; expires: number }>();

  /** Takes the Set-Cookie header lines of a response; Max-Age wins over Expires, a past date deletes. */
  store(setCookie: readonly string[] | undefined): void {
    for (const line of setCookie ?? []) {
      const [pair = '', ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      if (at <= 0) continue;
      let expires = Infinity;
      let maxAge: number | undefined;
      for (const attribute of attributes) {
        const [key = '', value = ''] = attribute.split('=', 2).map((part) => part.trim());
        if (key.toLowerCase() === 'max-age') maxAge = Number(value);
        else if (key.toLowerCase() === 'expires') expires = Date.parse(value);
      }
      if (maxAge !== undefined && !Number.isNaN(maxAge)) expires = Date.now() + maxAge * 1000;
      const name = pair.slice(0, at).trim();
      if (!(expires > Date.now())) this.#cookies.delete(name);
      else this.#cookies.set(name, { value: pair.slice(at + 1).trim(), expires });
    }
  }

  /** The Cookie header value for the next request, or undefined when the jar is empty. */
  header(): string | undefined {
    const now = Date.now();
    const pairs: string[] = [];
    for (const [name, cookie] of this.#cookies) {
      if (cookie.expires > now) pairs.push(`${name}=${cookie.value}`);
      else this.#cookies.delete(name);
    }
    return pairs.length > 0 ? pairs.join('; ') : undefined;
  }
}
