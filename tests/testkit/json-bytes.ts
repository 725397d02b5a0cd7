// The {"$bytes": "<base64>"} convention that carries binary through the JSON lines of the Python peers.

/** A binary value as it travels through a JSON line. */
export interface JsonBytes {
  $bytes: string;
}

/** Wraps bytes for a JSON line; the Python side turns the marker back into `bytes` before sending. */
export function jsonBytes(bytes: Uint8Array): JsonBytes {
  return { $bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64') };
}

function isJsonBytes(value: unknown): value is JsonBytes {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.keys(value).length === 1 &&
    typeof (value as Partial<JsonBytes>).$bytes === 'string'
  );
}

/** Replaces every {"$bytes"} marker (at any depth) with a Buffer, so results compare with what Node sent. */
export function fromJsonBytes(value: unknown): unknown {
  if (isJsonBytes(value)) return Buffer.from(value.$bytes, 'base64');
  if (Array.isArray(value)) return value.map(fromJsonBytes);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fromJsonBytes(item)]));
  }
  return value;
}

/** Normalises received binary (Buffer, ArrayBuffer, typed arrays) to Buffer at any depth, for deepEqual. */
export function toBuffers(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  if (ArrayBuffer.isView(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (Array.isArray(value)) return value.map(toBuffers);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toBuffers(item)]));
  }
  return value;
}
