// The msgpack encoding of broadcasts, byte-compatible with notepack.io (what socket.io's adapter decodes).
import { Encoder } from '@msgpack/msgpack';

/** Encodes the emitter's broadcast messages; must match the servers' adapter parser. */
export interface EmitterParser {
  encode(message: unknown): Uint8Array | string;
}

// Undefined map values are left out, as notepack.io leaves them out (unset flags).
const encoder = new Encoder({ ignoreUndefined: true });

/** The default parser: msgpack. */
export const msgpackParser: EmitterParser = {
  encode: (message) => encoder.encode(message),
};
