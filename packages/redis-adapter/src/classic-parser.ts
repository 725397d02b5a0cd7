// The msgpack codec of the classic Redis adapter's binary messages, byte-compatible with socket.io's notepack.io.
import { Decoder, Encoder, ExtensionCodec } from '@msgpack/msgpack';

/** Encodes and decodes the adapter's binary messages (broadcasts, ack broadcasts and their acks). */
export interface RedisParser {
  encode(message: unknown): Uint8Array | string;
  decode(message: Uint8Array): unknown;
}

// notepack.io writes `undefined` as fixext 1 of type 0 (d4 00 00); read it back as undefined, as it does.
const NOTEPACK_UNDEFINED_TYPE = 0;
const extensionCodec = new ExtensionCodec();
extensionCodec.register({
  type: NOTEPACK_UNDEFINED_TYPE,
  encode: () => null,
  decode: () => undefined,
});

// Undefined map values are left out, as notepack.io leaves them out (an absent `id`, unset flags).
const encoder = new Encoder({ extensionCodec, ignoreUndefined: true });
const decoder = new Decoder({ extensionCodec });

/** The default parser: msgpack; binary comes back as Uint8Array views of the message. */
export const msgpackParser: RedisParser = {
  encode: (message) => encoder.encode(message),
  decode: (message) => decoder.decode(message),
};
