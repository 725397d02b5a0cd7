// The msgpack codec of the classic Redis adapter's binary messages: notepack.io, the codec @socket.io/redis-adapter
// uses and the one the adapter kit uses, so every adapter of this package reads and writes the same bytes.
import notepack from 'notepack.io';

/** Encodes and decodes the adapter's binary messages (broadcasts, ack broadcasts and their acks). */
export interface RedisParser {
  encode(message: unknown): Uint8Array | string;
  decode(message: Uint8Array): unknown;
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The default parser: msgpack (undefined map values left out); binary comes back as Buffers. */
export const msgpackParser: RedisParser = {
  encode: (message) => notepack.encode(message) as Buffer,
  decode: (message) => notepack.decode(toBuffer(message)) as unknown,
};
