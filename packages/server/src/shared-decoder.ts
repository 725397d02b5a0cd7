// One Socket.IO decoder for the whole server, used for plain text packets, which leave no state behind.
// A connection gets a decoder of its own only when it sends a binary packet (whose attachments follow later).
import { CodecError, decodePlainText, type DecoderOptions, type Packet } from '@switchboard/protocol';

/** Where decoded packets and decoding errors of one connection go. */
export interface PacketSink {
  handlePacket(packet: Packet): void;
  /** A CodecError from our decoder, or whatever a custom parser threw. */
  handleDecodeError(err: Error & { code?: string }): void;
}

const BINARY_EVENT_DIGIT = 0x35; // '5': BINARY_EVENT, attachments follow
const BINARY_ACK_DIGIT = 0x36; // '6': BINARY_ACK, attachments follow

/** True when a text packet announces attachments, so its connection needs a decoder that keeps state. */
export function announcesAttachments(text: string): boolean {
  const type = text.charCodeAt(0);
  return type === BINARY_EVENT_DIGIT || type === BINARY_ACK_DIGIT;
}

/** Decodes stateless text packets for any connection: no Decoder (and no listeners) per connection. */
export class SharedDecoder {
  readonly #options: DecoderOptions;

  constructor(options: DecoderOptions) {
    this.#options = options;
  }

  /** Decodes `text` (which must not announce attachments) and hands the result to `sink`, synchronously. */
  decode(text: string, sink: PacketSink): void {
    const result = decodePlainText(text, this.#options);
    if (result instanceof CodecError) sink.handleDecodeError(result);
    else sink.handlePacket(result);
  }
}
