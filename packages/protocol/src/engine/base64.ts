// Base64 (RFC 4648, standard alphabet, padded) without Node's Buffer or the DOM's atob/btoa.

import { CodecError, CodecErrorCode } from '../errors.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const PAD = 61; // '='

/** Char code -> 6-bit value; 255 marks a character outside the alphabet. */
const DECODE_TABLE = /* @__PURE__ */ (() => {
  const table = new Uint8Array(128).fill(255);
  for (let i = 0; i < ALPHABET.length; i++) table[ALPHABET.charCodeAt(i)] = i;
  return table;
})();

/** Byte pairs -> two base64 characters, so the encoder does one lookup per 12 bits. */
const PAIR_TABLE = /* @__PURE__ */ (() => {
  const table: string[] = new Array<string>(4096);
  for (let i = 0; i < 4096; i++) table[i] = ALPHABET.charAt(i >> 6) + ALPHABET.charAt(i & 63);
  return table;
})();

/** Encodes bytes as padded standard base64. */
export function encodeBase64(bytes: Uint8Array): string {
  const length = bytes.length;
  const whole = length - (length % 3);
  // Chunks of strings joined once: string concatenation per triplet would build long rope chains.
  const parts: string[] = [];
  let chunk = '';
  for (let i = 0; i < whole; i += 3) {
    const triplet = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    chunk += (PAIR_TABLE[triplet >> 12] as string) + (PAIR_TABLE[triplet & 4095] as string);
    if (chunk.length >= 8192) {
      parts.push(chunk);
      chunk = '';
    }
  }
  const rest = length - whole;
  if (rest === 1) {
    const value = bytes[whole] as number;
    chunk += ALPHABET.charAt(value >> 2) + ALPHABET.charAt((value & 3) << 4) + '==';
  } else if (rest === 2) {
    const value = ((bytes[whole] as number) << 8) | (bytes[whole + 1] as number);
    chunk += ALPHABET.charAt(value >> 10) + ALPHABET.charAt((value >> 4) & 63) + ALPHABET.charAt((value & 15) << 2) + '=';
  }
  if (parts.length === 0) return chunk;
  parts.push(chunk);
  return parts.join('');
}

function sextet(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code < 128 ? (DECODE_TABLE[code] as number) : 255;
}

/**
 * Decodes standard base64; padding is optional (engine.io-parser accepts both), whitespace and
 * characters outside the alphabet are rejected with CODEC_ERR_INVALID_BASE64.
 */
export function decodeBase64(text: string): Uint8Array | CodecError {
  let end = text.length;
  if (end > 0 && text.charCodeAt(end - 1) === PAD) end--;
  if (end > 0 && text.charCodeAt(end - 1) === PAD) end--;
  const tail = end % 4;
  if (tail === 1 || (end !== text.length && text.length % 4 !== 0)) {
    return new CodecError(CodecErrorCode.INVALID_BASE64, `invalid base64 length ${text.length}`);
  }
  const bytes = new Uint8Array(((end >> 2) * 3) + (tail === 0 ? 0 : tail - 1));
  let out = 0;
  const whole = end - tail;
  for (let i = 0; i < whole; i += 4) {
    const a = sextet(text, i);
    const b = sextet(text, i + 1);
    const c = sextet(text, i + 2);
    const d = sextet(text, i + 3);
    // Valid sextets are 0-63, so the OR exceeds 63 exactly when one of them is the invalid marker 255.
    if ((a | b | c | d) > 63) return invalidCharacter(text, i);
    const triplet = (a << 18) | (b << 12) | (c << 6) | d;
    bytes[out++] = triplet >> 16;
    bytes[out++] = (triplet >> 8) & 255;
    bytes[out++] = triplet & 255;
  }
  if (tail >= 2) {
    const a = sextet(text, whole);
    const b = sextet(text, whole + 1);
    const c = tail === 3 ? sextet(text, whole + 2) : 0;
    if (a === 255 || b === 255 || c === 255) return invalidCharacter(text, whole);
    const triplet = (a << 18) | (b << 12) | (c << 6);
    bytes[out++] = triplet >> 16;
    if (tail === 3) bytes[out++] = (triplet >> 8) & 255;
  }
  return bytes;
}

function invalidCharacter(text: string, from: number): CodecError {
  let index = from;
  while (index < text.length && sextet(text, index) !== 255) index++;
  return new CodecError(CodecErrorCode.INVALID_BASE64, `invalid base64 character at index ${index}`);
}
