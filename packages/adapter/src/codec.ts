// Bytes <-> cluster messages. msgpack through notepack.io, the encoder socket.io's adapters use, so a mixed cluster
// reads the same bytes; JSON is read too, since @socket.io/redis-adapter sends JSON when a message holds no binary.
import createDebug from 'debug';
import notepack from 'notepack.io';
import type { ClusterMessage } from './message.js';

const debug = createDebug('switchboard:adapter:codec');

const OPENING_BRACE = 0x7b; // '{': a JSON message; a msgpack map starts with 0x80-0x8f, 0xde or 0xdf

/** Encodes a message as msgpack (Buffers and typed arrays become msgpack `bin`). */
export function encodeClusterMessage(message: ClusterMessage): Buffer {
  return notepack.encode(message) as Buffer;
}

/** Whether a value holds binary data anywhere (ArrayBuffer, Buffer, any typed array). */
export function hasBinary(value: unknown, depth = 0): boolean {
  if (typeof value !== 'object' || value === null || depth > 64) return false;
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return true;
  if (Array.isArray(value)) return value.some((item) => hasBinary(item, depth + 1));
  for (const key of Object.keys(value)) if (hasBinary((value as Record<string, unknown>)[key], depth + 1)) return true;
  return false;
}

/**
 * Decodes bytes from the broker: JSON when they start with `{`, msgpack otherwise. Returns undefined (logged at
 * debug level) when they do not decode; `ClusterAdapter.onMessage` checks the shape of what does.
 */
export function decodeClusterMessage(raw: Uint8Array | string): unknown {
  let value: unknown;
  try {
    if (typeof raw === 'string') value = JSON.parse(raw);
    else if (raw[0] === OPENING_BRACE)
      value = JSON.parse(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8'));
    else value = notepack.decode(Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength));
  } catch (err) {
    debug('dropped a message that does not decode: %s', (err as Error).message);
    return undefined;
  }
  return value;
}
