// A message encoded once and written to many sessions: the polling record and the WebSocket frame are built lazily,
// once, and shared by every recipient.
import { encodePacket } from '@switchboard/protocol';
import { encodeFrame } from './transports/frame.js';

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
    this.#webSocketFrame ??= encodeFrame(encodePacket({ type: 'message', data: this.data }, true));
    return this.#webSocketFrame;
  }
}
