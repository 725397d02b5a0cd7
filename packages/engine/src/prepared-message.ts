// A message encoded once and written to many sessions: the polling record and the WebSocket frame are built lazily,
// once, and shared by every recipient.
import { encodePacket } from '@switchboard/protocol';
import * as ws from 'ws';

interface FrameOptions {
  fin: boolean;
  opcode: number;
  mask: boolean;
  readOnly: boolean;
  rsv1: boolean;
}

// `ws` exports Sender (and its static frame builder) by name from its ESM entry, but its type declarations omit it.
const { Sender } = ws as unknown as {
  Sender: { frame(data: Buffer, options: FrameOptions): Buffer[] };
};

const OPCODE_TEXT = 0x1;
const OPCODE_BINARY = 0x2;

/**
 * A message to send to many sessions at once: encode it here, then `socket.sendPrepared(msg)` for each recipient.
 * Sessions that cannot reuse the shared bytes (permessage-deflate, Engine.IO v3, base64-only clients) fall back to a
 * normal send of `data`.
 * @example
 * const msg = new PreparedMessage('hello');
 * for (const socket of Object.values(server.clients)) socket.sendPrepared(msg);
 */
export class PreparedMessage {
  /** The message payload. */
  readonly data: string | Uint8Array;
  /** Whether compression is allowed for it. */
  readonly compress: boolean;
  #pollingRecord: string | undefined;
  #webSocketFrame: Buffer | undefined;

  constructor(data: string | Uint8Array, options?: { compress?: boolean }) {
    this.data = data;
    this.compress = options?.compress !== false;
  }

  /** The message as one v4 polling record: `4<text>` or `b<base64>`. */
  get pollingRecord(): string {
    this.#pollingRecord ??= encodePacket({ type: 'message', data: this.data }, false) as string;
    return this.#pollingRecord;
  }

  /** The complete, unmasked WebSocket frame (header and payload in one buffer) of the v4 packet. */
  get webSocketFrame(): Buffer {
    if (this.#webSocketFrame === undefined) {
      const encoded = encodePacket({ type: 'message', data: this.data }, true);
      const isText = typeof encoded === 'string';
      const payload = isText ? Buffer.from(encoded) : Buffer.from(encoded.buffer, encoded.byteOffset, encoded.byteLength);
      const parts = Sender.frame(payload, {
        fin: true,
        opcode: isText ? OPCODE_TEXT : OPCODE_BINARY,
        mask: false,
        readOnly: false,
        rsv1: false,
      });
      // One buffer, so each recipient costs one write call.
      this.#webSocketFrame = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
    }
    return this.#webSocketFrame;
  }
}
