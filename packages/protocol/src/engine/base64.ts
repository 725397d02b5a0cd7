// Base64 (RFC 4648, standard alphabet, padded) over atob/btoa, which browsers and Node (16+) both have.

import { CodecError } from '../errors.js';
import { FROM_CHAR_CODE_CHUNK } from '../limits.js';

// The package is typed without the DOM and Node libraries; both runtimes provide these globals.
declare function atob(text: string): string;
declare function btoa(binary: string): string;

/** The alphabet with up to two padding characters at the end; atob alone would also accept whitespace. */
const BASE64_TEXT = /^[A-Za-z\d+/]*={0,2}$/;

/** Encodes bytes as padded standard base64. */
export function encodeBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += FROM_CHAR_CODE_CHUNK)
    binary += String.fromCharCode(...bytes.subarray(i, i + FROM_CHAR_CODE_CHUNK));
  return btoa(binary);
}

/**
 * Decodes standard base64; padding is optional (engine.io-parser accepts both), whitespace and
 * characters outside the alphabet are rejected with CODEC_ERR_INVALID_BASE64.
 */
export function decodeBase64(text: string): Uint8Array | CodecError {
  if (typeof text !== 'string') return new CodecError('CODEC_ERR_INVALID_BASE64', `not a string: ${typeof text}`);
  if (!BASE64_TEXT.test(text)) return new CodecError('CODEC_ERR_INVALID_BASE64', 'invalid base64 character');
  let binary: string;
  try {
    // Throws on a single character past a full quartet (under 8 bits) and on padding that does not complete one.
    binary = atob(text);
  } catch {
    return new CodecError('CODEC_ERR_INVALID_BASE64', 'invalid base64 length');
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
