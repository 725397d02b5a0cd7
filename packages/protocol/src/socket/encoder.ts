// Socket.IO v5 encoder.

import type { Packet } from './packet.js';

/**
 * socket.io-parser compatible encoder: EVENT/ACK with binary become BINARY_EVENT/BINARY_ACK,
 * each binary replaced by {"_placeholder":true,"num":i}; returns [text, ...attachments].
 */
export class Encoder {
  /** Encodes one packet as the Engine.IO messages that carry it. */
  encode(packet: Packet): Array<string | Uint8Array> {
    void packet;
    return [];
  }
}
