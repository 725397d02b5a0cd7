// The codec a server speaks: @switchboard/protocol's by default, or a socket.io-parser compatible one given as the
// `parser` option (socket.io-msgpack-parser, socket.io-parser itself), which must then be used by the clients too.
import { Decoder, Encoder, type DecoderOptions, type Packet } from '@switchboard/protocol';
import type { PacketSink } from './shared-decoder.js';

/** A socket.io-parser style encoder: one packet to the Engine.IO messages that carry it. */
export interface ParserEncoder {
  encode(packet: Packet): Array<string | Uint8Array>;
}

/** A socket.io-parser style streaming decoder: emits 'decoded'; reports bad input by throwing from `add`. */
export interface ParserDecoder {
  add(chunk: string | Uint8Array): void;
  on(event: 'decoded', listener: (packet: Packet) => void): unknown;
  destroy(): void;
}

/** The `parser` option: a module exporting socket.io-parser compatible Encoder and Decoder classes. */
export interface SocketParser {
  Encoder: new () => ParserEncoder;
  Decoder: new () => ParserDecoder;
}

/** What a connection feeds its Engine.IO messages to. */
export interface ConnectionDecoder {
  add(chunk: string | Uint8Array): void;
  destroy(): void;
}

/** The server's encoder: the custom parser's, or ours. */
export function createEncoder(parser: SocketParser | undefined): ParserEncoder {
  return parser === undefined ? new Encoder() : new parser.Encoder();
}

/** A decoder owned by one connection, delivering to `sink`; bad input always arrives as `handleDecodeError`. */
export function createConnectionDecoder(
  parser: SocketParser | undefined,
  options: DecoderOptions,
  sink: PacketSink,
): ConnectionDecoder {
  if (parser === undefined) {
    const decoder = new Decoder(options);
    decoder.on('decoded', (packet) => sink.handlePacket(packet));
    decoder.on('error', (err) => sink.handleDecodeError(err));
    return decoder;
  }
  const decoder = new parser.Decoder();
  decoder.on('decoded', (packet) => sink.handlePacket(packet));
  return {
    add(chunk) {
      // socket.io-parser compatible decoders throw on bad input; listeners' own exceptions pass through unchanged
      // only from our decoder, so here everything thrown while adding is treated as a parse error.
      try {
        decoder.add(chunk);
      } catch (err) {
        sink.handleDecodeError(err instanceof Error ? err : new Error(String(err)));
      }
    },
    destroy() {
      decoder.destroy();
    },
  };
}
