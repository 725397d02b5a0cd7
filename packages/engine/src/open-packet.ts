// The open packet's JSON (handshake step 1), built by concatenation: only the session id changes between sessions.
import type { ResolvedOptions } from './options.js';

interface Tail {
  readonly upgrades: readonly string[];
  readonly pingInterval: number;
  readonly pingTimeout: number;
  readonly maxPayload: number;
  readonly json: string;
}

// The part after the id, for the parameters seen last. Options may be changed at run time (engine.io allows it), so
// the cache is checked against the current values on every use rather than trusted.
let lastTail: Tail | undefined;

function sameUpgrades(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * `JSON.stringify({ sid, upgrades, pingInterval, pingTimeout, maxPayload })`, byte for byte, without building and
 * walking the object for every handshake.
 */
export function openPacketJson(sid: string, upgrades: readonly string[], options: ResolvedOptions): string {
  const { pingInterval, pingTimeout, maxHttpBufferSize: maxPayload } = options;
  let tail = lastTail;
  if (
    tail === undefined ||
    tail.pingInterval !== pingInterval ||
    tail.pingTimeout !== pingTimeout ||
    tail.maxPayload !== maxPayload ||
    !sameUpgrades(tail.upgrades, upgrades)
  ) {
    // Stringified once from a real object so the key order and number formatting are JSON.stringify's own.
    const full = JSON.stringify({ sid: '', upgrades, pingInterval, pingTimeout, maxPayload });
    tail = { upgrades: [...upgrades], pingInterval, pingTimeout, maxPayload, json: full.slice('{"sid":""'.length) };
    lastTail = tail;
  }
  return '{"sid":' + JSON.stringify(sid) + tail.json;
}
