// The `ws` server (noServer mode) behind WebSocket handshakes, and how extra response headers reach its 101 answer.
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { ResolvedOptions } from '../options.js';
import type { WsServer } from './ws-engine.js';

// Headers that middlewares set on an upgrade's stand-in response, waiting for ws to write the 101 answer.
const pendingHeaders = new WeakMap<IncomingMessage, OutgoingHttpHeaders>();

/** Remembers headers to add to the 101 answer of `req` (set by middlewares before the handshake). */
export function addUpgradeHeaders(req: IncomingMessage, headers: OutgoingHttpHeaders): void {
  pendingHeaders.set(req, headers);
}

/**
 * Creates the `ws` server with the engine's limits. `onHeaders` may edit the headers of each 101 answer
 * (the server emits `initial_headers`/`headers` there); whatever it leaves is written. It is skipped when no
 * middleware left headers and `hasHeaderListeners()` is false.
 */
export function createWebSocketServer(
  options: ResolvedOptions,
  onHeaders: (headers: OutgoingHttpHeaders, req: IncomingMessage) => void,
  hasHeaderListeners: () => boolean,
): WsServer {
  const { wsEngine, perMessageDeflate, maxHttpBufferSize, maxBufferedChunks } = options;
  const wss = new wsEngine({
    noServer: true,
    clientTracking: false,
    perMessageDeflate,
    maxPayload: maxHttpBufferSize,
    maxBufferedChunks,
  });
  wss.on('headers', (lines: string[], req: IncomingMessage) => {
    const pending = pendingHeaders.get(req);
    // Nothing to add and nobody to ask: the usual handshake allocates no header record.
    if (pending === undefined && !hasHeaderListeners()) return;
    const headers = pending ?? {};
    pendingHeaders.delete(req);
    onHeaders(headers, req);
    for (const [name, value] of Object.entries(headers)) {
      if (value !== undefined) lines.push(`${name}: ${Array.isArray(value) ? value.join(', ') : String(value)}`);
    }
  });
  return wss;
}
