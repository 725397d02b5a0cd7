// Engine.IO v4 polling payloads: packets joined by the record separator, binary messages as 'b' + base64.

import { RECORD_SEPARATOR } from '../wire-constants.js';
import { CodecError } from '../errors.js';
import { decodePacket, encodePacket, type EnginePacket } from './packet.js';

/** v4 polling payload: packets joined by '\x1e'; binary messages as 'b' + base64. */
export function encodePayload(packets: readonly EnginePacket[]): string {
  if (packets.length === 1) return encodePacket(packets[0] as EnginePacket, false) as string;
  let payload = '';
  for (let i = 0; i < packets.length; i++) {
    if (i > 0) payload += RECORD_SEPARATOR;
    // Without binary support encodePacket always returns text ('b' + base64 for binary).
    payload += encodePacket(packets[i] as EnginePacket, false) as string;
  }
  return payload;
}

/** Options of `decodePayload`. */
export interface DecodePayloadOptions {
  /**
   * Most packets accepted in one payload; more is CODEC_ERR_INVALID_PAYLOAD.
   * @default Infinity (the transport's maxHttpBufferSize already bounds the payload)
   */
  maxPackets?: number;
}

/** Decodes a v4 polling payload; never throws. maxPackets bounds the work on hostile input. */
export function decodePayload(payload: string, options?: DecodePayloadOptions): EnginePacket[] | CodecError {
  if (typeof payload !== 'string') {
    return new CodecError('CODEC_ERR_INVALID_PAYLOAD', `payload not a string: ${typeof payload}`);
  }
  const maxPackets = options?.maxPackets ?? Infinity;
  const packets: EnginePacket[] = [];
  let start = 0;
  for (;;) {
    const end = payload.indexOf(RECORD_SEPARATOR, start);
    const record = end === -1 ? payload.slice(start) : payload.slice(start, end);
    if (packets.length >= maxPackets) {
      return new CodecError('CODEC_ERR_INVALID_PAYLOAD', `more than ${maxPackets} packets`);
    }
    const packet = decodePacket(record);
    if (packet instanceof CodecError) {
      return new CodecError('CODEC_ERR_INVALID_PAYLOAD', `packet ${packets.length}: ${packet.message}`, {
        cause: packet,
      });
    }
    packets.push(packet);
    if (end === -1) return packets;
    start = end + 1;
  }
}

export { RECORD_SEPARATOR };
