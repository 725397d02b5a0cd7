// Socket.IO v5 streaming decoder.

import { Emitter } from '../emitter.js';
import type { CodecError } from '../errors.js';
import type { BinaryLike } from '../engine/binary-like.js';
import type { Packet } from './packet.js';

/** Limits of the decoder on untrusted input. */
export interface DecoderOptions {
  /** @default 10; more => CodecError TOO_MANY_ATTACHMENTS */
  maxAttachments?: number;
  /** @default 32 nesting levels in the JSON payload */
  maxDepth?: number;
}

/** Events of the Decoder. */
export type DecoderEvents = { decoded: (packet: Packet) => void; error: (err: CodecError) => void };

/**
 * socket.io-parser compatible streaming decoder: add() each Engine.IO message; emits 'decoded'
 * with a complete Packet (binary placeholders put back) and 'error' with a CodecError. Never throws.
 */
export class Decoder extends Emitter<DecoderEvents> {
  constructor(options?: DecoderOptions) {
    super();
    void options;
  }

  /** Feeds one Engine.IO message. */
  add(chunk: string | BinaryLike): void {
    void chunk;
  }

  /** Drops a partially received binary packet. */
  destroy(): void {}
}
