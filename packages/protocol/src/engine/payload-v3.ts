// Engine.IO v3 (allowEIO3) payloads and frames: length-prefixed text records and the binary record form.

import { CodecError, CodecErrorCode } from '../errors.js';
import type { BinaryLike } from './binary-like.js';
import type { EnginePacket } from './packet.js';

/** v3 (allowEIO3) payloads: '<length>:<packet>' records in text; binary form when supportsBinary and a packet is binary. */
export function encodePayloadV3(packets: readonly EnginePacket[], supportsBinary: boolean): string | Uint8Array {
  void packets;
  void supportsBinary;
  return '0:';
}

/** Decodes a v3 polling payload, text or binary form; never throws. */
export function decodePayloadV3(data: string | BinaryLike): EnginePacket[] | CodecError {
  void data;
  return new CodecError(CodecErrorCode.INVALID_PAYLOAD, 'not implemented yet');
}
