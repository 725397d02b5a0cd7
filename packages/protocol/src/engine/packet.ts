// Engine.IO v4 packets: the seven types and one packet per WebSocket frame.

import { BASE64_PREFIX, BASE64_PREFIX_CODE, DIGIT_ZERO } from '../wire-constants.js';
import { CodecError } from '../errors.js';
import { decodeBase64, encodeBase64 } from './base64.js';
import { isBinaryLike, toUint8Array, type BinaryLike } from './binary-like.js';

/** The Engine.IO protocol revision these codecs speak by default. */
export const ENGINE_PROTOCOL = 4;

/** Engine.IO packet types, named as the protocol names them. */
export type EnginePacketType = 'open' | 'close' | 'ping' | 'pong' | 'message' | 'upgrade' | 'noop';

/** One Engine.IO packet. */
export interface EnginePacket {
  type: EnginePacketType;
  /** string, or binary (Uint8Array) for binary messages; undefined when the packet carries nothing. */
  data?: string | Uint8Array;
}

/** Indexed by (char code - 48): the packet type of a wire digit. */
export const ENGINE_TYPES_BY_DIGIT: readonly EnginePacketType[] = [
  'open',
  'close',
  'ping',
  'pong',
  'message',
  'upgrade',
  'noop',
];

/** Wire digit of each type: '0' open ... '6' noop (built from the list above: fewer bytes in browser bundles). */
export const ENGINE_TYPE_CHARS = Object.fromEntries(
  ENGINE_TYPES_BY_DIGIT.map((type, digit) => [type, String(digit)]),
) as Readonly<Record<EnginePacketType, string>>;

/**
 * One packet for a WebSocket frame (v4 and v3): text packets become '<digit><data>';
 * a binary message becomes the raw bytes when supportsBinary, else 'b' + base64.
 */
export function encodePacket(packet: EnginePacket, supportsBinary: boolean): string | Uint8Array {
  const data: unknown = packet.data;
  if (typeof data === 'string') return ENGINE_TYPE_CHARS[packet.type] + data;
  if (data === undefined || data === null) return ENGINE_TYPE_CHARS[packet.type];
  if (isBinaryLike(data)) {
    const bytes = toUint8Array(data);
    return supportsBinary ? bytes : BASE64_PREFIX + encodeBase64(bytes);
  }
  // Callers typed outside TypeScript may hand us numbers or objects: send their string form, as engine.io does.
  return ENGINE_TYPE_CHARS[packet.type] + String(data);
}

/** Decodes one WebSocket frame; never throws. Binary frames decode to a binary 'message'. */
export function decodePacket(data: string | BinaryLike): EnginePacket | CodecError {
  if (typeof data !== 'string') {
    if (isBinaryLike(data)) return { type: 'message', data: toUint8Array(data) };
    return new CodecError('CODEC_ERR_INVALID_PACKET', `not a string or binary: ${typeof data}`);
  }
  const first = data.charCodeAt(0);
  const type = ENGINE_TYPES_BY_DIGIT[first - DIGIT_ZERO];
  if (type !== undefined) {
    if (data.length > 1) return { type, data: data.slice(1) };
    // A message always carries data (possibly ''); the other types carry none when nothing follows the digit.
    return type === 'message' ? { type, data: '' } : { type };
  }
  if (first === BASE64_PREFIX_CODE) {
    const bytes = decodeBase64(data.slice(1));
    return bytes instanceof CodecError ? bytes : { type: 'message', data: bytes };
  }
  if (data.length === 0) return new CodecError('CODEC_ERR_INVALID_PACKET', 'empty packet');
  return new CodecError('CODEC_ERR_INVALID_PACKET', 'unknown packet type');
}

export { BASE64_PREFIX };
