// Engine.IO v3 (allowEIO3): length-prefixed polling payloads, text and binary forms, and v3 WebSocket frames.

import { CodecError } from '../errors.js';
import { decodeBase64, encodeBase64 } from './base64.js';
import { isBinaryLike, toUint8Array, type BinaryLike } from './binary-like.js';
import { BASE64_PREFIX, ENGINE_TYPES_BY_DIGIT, ENGINE_TYPE_CHARS, type EnginePacket } from './packet.js';
import { decodeUtf8, encodeUtf8 } from './utf8.js';

/** Separates a text record's length from the packet: '<length>:<packet>'. */
const LENGTH_SEPARATOR = ':';
const LENGTH_SEPARATOR_CODE = 0x3a;
/** First byte of a binary-form record: 0x00 the record is a UTF-8 string packet, 0x01 a binary packet. */
const RECORD_STRING = 0;
const RECORD_BINARY = 1;
/** Ends the decimal length digits (one byte per digit, values 0-9) of a binary-form record. */
const LENGTH_END = 0xff;
/** A length with more digits than this cannot fit any payload we could hold. */
const MAX_LENGTH_DIGITS = 15;
const DIGIT_ZERO = 0x30;

function binaryData(packet: EnginePacket): Uint8Array | undefined {
  const data: unknown = packet.data;
  return typeof data !== 'string' && isBinaryLike(data) ? toUint8Array(data) : undefined;
}

function encodeTextPacketV3(packet: EnginePacket): string {
  const data: unknown = packet.data;
  if (typeof data === 'string') return ENGINE_TYPE_CHARS[packet.type] + data;
  if (data === undefined || data === null) return ENGINE_TYPE_CHARS[packet.type];
  // v3 keeps the type after the 'b': 'b4AQID'.
  if (isBinaryLike(data)) return BASE64_PREFIX + ENGINE_TYPE_CHARS[packet.type] + encodeBase64(toUint8Array(data));
  return ENGINE_TYPE_CHARS[packet.type] + String(data);
}

/**
 * One v3 packet for a WebSocket frame: text as in v4; a binary message is the type byte 0x04 followed by
 * the bytes when supportsBinary, else 'b4' + base64.
 */
export function encodePacketV3(packet: EnginePacket, supportsBinary: boolean): string | Uint8Array {
  const bytes = binaryData(packet);
  if (bytes === undefined || !supportsBinary) return encodeTextPacketV3(packet);
  const frame = new Uint8Array(bytes.length + 1);
  frame[0] = typeByte(packet);
  frame.set(bytes, 1);
  return frame;
}

function typeByte(packet: EnginePacket): number {
  return ENGINE_TYPE_CHARS[packet.type].charCodeAt(0) - DIGIT_ZERO;
}

/** Decodes one v3 WebSocket frame or payload record; never throws. */
export function decodePacketV3(data: string | BinaryLike): EnginePacket | CodecError {
  if (typeof data !== 'string') {
    if (!isBinaryLike(data)) {
      return new CodecError('CODEC_ERR_INVALID_PACKET', `not a string or binary: ${typeof data}`);
    }
    const bytes = toUint8Array(data);
    const type = bytes.length > 0 ? ENGINE_TYPES_BY_DIGIT[bytes[0] as number] : undefined;
    if (type === undefined) return new CodecError('CODEC_ERR_INVALID_PACKET', 'binary frame without a valid type byte');
    return { type, data: bytes.subarray(1) };
  }
  if (data.length === 0) return new CodecError('CODEC_ERR_INVALID_PACKET', 'empty packet');
  if (data.charAt(0) === BASE64_PREFIX) {
    const type = ENGINE_TYPES_BY_DIGIT[data.charCodeAt(1) - DIGIT_ZERO];
    if (type === undefined) return new CodecError('CODEC_ERR_INVALID_PACKET', 'base64 packet without a valid type');
    const bytes = decodeBase64(data.slice(2));
    return bytes instanceof CodecError ? bytes : { type, data: bytes };
  }
  const type = ENGINE_TYPES_BY_DIGIT[data.charCodeAt(0) - DIGIT_ZERO];
  if (type === undefined) {
    return new CodecError('CODEC_ERR_INVALID_PACKET', 'unknown packet type');
  }
  if (data.length > 1) return { type, data: data.slice(1) };
  return type === 'message' ? { type, data: '' } : { type };
}

/** v3 (allowEIO3) payloads: '<length>:<packet>' records in text; binary form when supportsBinary and a packet is binary. */
export function encodePayloadV3(packets: readonly EnginePacket[], supportsBinary: boolean): string | Uint8Array {
  if (supportsBinary && packets.some((packet) => binaryData(packet) !== undefined))
    return encodeBinaryPayloadV3(packets);
  if (packets.length === 0) return '0' + LENGTH_SEPARATOR;
  let payload = '';
  for (const packet of packets) {
    const encoded = encodeTextPacketV3(packet);
    // The length counts UTF-16 code units (JS string length), as engine.io v3 does.
    payload += encoded.length + LENGTH_SEPARATOR + encoded;
  }
  return payload;
}

function encodeBinaryPayloadV3(packets: readonly EnginePacket[]): Uint8Array {
  const records: Uint8Array[] = [];
  let total = 0;
  for (const packet of packets) {
    const bytes = binaryData(packet);
    const body = bytes === undefined ? encodeUtf8(encodeTextPacketV3(packet)) : bytes;
    const bodyLength = bytes === undefined ? body.length : body.length + 1;
    const digits = String(bodyLength);
    const record = new Uint8Array(digits.length + 2 + bodyLength);
    record[0] = bytes === undefined ? RECORD_STRING : RECORD_BINARY;
    for (let i = 0; i < digits.length; i++) record[i + 1] = digits.charCodeAt(i) - DIGIT_ZERO;
    let at = digits.length + 1;
    record[at++] = LENGTH_END;
    if (bytes !== undefined) record[at++] = typeByte(packet);
    record.set(body, at);
    records.push(record);
    total += record.length;
  }
  const payload = new Uint8Array(total);
  let offset = 0;
  for (const record of records) {
    payload.set(record, offset);
    offset += record.length;
  }
  return payload;
}

/** Decodes a v3 polling payload, text or binary form; never throws. */
export function decodePayloadV3(data: string | BinaryLike): EnginePacket[] | CodecError {
  if (typeof data === 'string') return decodeTextPayloadV3(data);
  if (isBinaryLike(data)) return decodeBinaryPayloadV3(toUint8Array(data));
  return invalidPayload(`not a string or binary: ${typeof data}`);
}

function invalidPayload(message: string, cause?: CodecError): CodecError {
  return new CodecError('CODEC_ERR_INVALID_PAYLOAD', message, cause === undefined ? undefined : { cause });
}

function decodeTextPayloadV3(payload: string): EnginePacket[] | CodecError {
  if (payload.length === 0) return invalidPayload('empty payload');
  const packets: EnginePacket[] = [];
  let at = 0;
  while (at < payload.length) {
    let length = 0;
    let digits = 0;
    for (;;) {
      const code = payload.charCodeAt(at);
      if (code === LENGTH_SEPARATOR_CODE) break;
      if (!(code >= DIGIT_ZERO && code <= DIGIT_ZERO + 9) || digits === MAX_LENGTH_DIGITS) {
        return invalidPayload(`invalid record length at index ${at}`);
      }
      length = length * 10 + (code - DIGIT_ZERO);
      digits++;
      at++;
    }
    if (digits === 0) return invalidPayload(`missing record length at index ${at}`);
    at++; // the ':'
    if (at + length > payload.length) return invalidPayload(`record of length ${length} runs past the payload`);
    // A zero-length record ('0:') is how v3 says "no packets".
    if (length > 0) {
      const packet = decodePacketV3(payload.slice(at, at + length));
      if (packet instanceof CodecError) return invalidPayload(`record ${packets.length}: ${packet.message}`, packet);
      packets.push(packet);
    }
    at += length;
  }
  return packets;
}

function decodeBinaryPayloadV3(payload: Uint8Array): EnginePacket[] | CodecError {
  if (payload.length === 0) return invalidPayload('empty payload');
  const packets: EnginePacket[] = [];
  let at = 0;
  while (at < payload.length) {
    const kind = payload[at++];
    if (kind !== RECORD_STRING && kind !== RECORD_BINARY)
      return invalidPayload(`invalid record kind at index ${at - 1}`);
    let length = 0;
    let digits = 0;
    for (;;) {
      const digit = payload[at];
      if (digit === LENGTH_END) break;
      if (digit === undefined || digit > 9 || digits === MAX_LENGTH_DIGITS) {
        return invalidPayload(`invalid record length at index ${at}`);
      }
      length = length * 10 + digit;
      digits++;
      at++;
    }
    if (digits === 0) return invalidPayload(`missing record length at index ${at}`);
    at++; // the 0xff
    if (at + length > payload.length) return invalidPayload(`record of length ${length} runs past the payload`);
    const packet =
      kind === RECORD_STRING
        ? decodePacketV3(decodeUtf8(payload, at, at + length))
        : decodePacketV3(payload.subarray(at, at + length));
    if (packet instanceof CodecError) return invalidPayload(`record ${packets.length}: ${packet.message}`, packet);
    packets.push(packet);
    at += length;
  }
  return packets;
}
