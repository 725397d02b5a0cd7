// Base64 (RFC 4648, standard alphabet, padded) without Node's Buffer or the DOM's atob/btoa.

import { CodecError } from '../errors.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const PAD = 61; // '='
/** Marks a character outside the alphabet in DECODE_TABLE; valid sextets are 0-63. */
const INVALID = 255;

/** Char code -> 6-bit value, INVALID for characters outside the alphabet. */
const DECODE_TABLE = /* @__PURE__ */ (() => {
  const table = new Uint8Array(128).fill(INVALID);
  for (let i = 0; i < 64; i++) table[ALPHABET.charCodeAt(i)] = i;
  return table;
})();

/** Encodes bytes as padded standard base64. */
export function encodeBase64(bytes: Uint8Array): string {
  // The smallest correct loop: base64 only carries binary over polling, and this code ships in the browser client.
  const length = bytes.length;
  let text = '';
  for (let i = 0; i < length; i += 3) {
    // Bytes past the end read as undefined, which the shifts turn into 0.
    const triplet = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    text +=
      ALPHABET.charAt(triplet >> 18) +
      ALPHABET.charAt((triplet >> 12) & 63) +
      (i + 1 < length ? ALPHABET.charAt((triplet >> 6) & 63) : '=') +
      (i + 2 < length ? ALPHABET.charAt(triplet & 63) : '=');
  }
  return text;
}

/**
 * Decodes standard base64; padding is optional (engine.io-parser accepts both), whitespace and
 * characters outside the alphabet are rejected with CODEC_ERR_INVALID_BASE64.
 */
export function decodeBase64(text: string): Uint8Array | CodecError {
  if (typeof text !== 'string') return new CodecError('CODEC_ERR_INVALID_BASE64', `not a string: ${typeof text}`);
  let end = text.length;
  if (end > 0 && text.charCodeAt(end - 1) === PAD) end--;
  if (end > 0 && text.charCodeAt(end - 1) === PAD) end--;
  // A single character past a full quartet carries under 8 bits; padding must complete a quartet.
  if (end % 4 === 1 || (end !== text.length && text.length % 4 !== 0)) {
    return new CodecError('CODEC_ERR_INVALID_BASE64', 'invalid base64 length');
  }
  const bytes = new Uint8Array((end * 3) >> 2);
  let out = 0;
  let bits = 0;
  let bitCount = 0;
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    const value = code < 128 ? (DECODE_TABLE[code] as number) : INVALID;
    if (value === INVALID) return new CodecError('CODEC_ERR_INVALID_BASE64', 'invalid base64 character');
    bits = ((bits << 6) | value) & 0xffffff;
    bitCount += 6;
    if (bitCount >= 8) {
      bitCount -= 8;
      bytes[out++] = bits >> bitCount;
    }
  }
  return bytes;
}
