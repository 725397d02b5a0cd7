// UTF-8 encoding and decoding without TextEncoder/TextDecoder (the package compiles without DOM or Node types).

/** UTF-8 bytes of a JS string; a lone surrogate becomes U+FFFD, as TextEncoder does. */
export function encodeUtf8(text: string): Uint8Array {
  const length = text.length;
  // Worst case 3 bytes per UTF-16 unit (a surrogate pair is 2 units for 4 bytes).
  const out = new Uint8Array(length * 3);
  let at = 0;
  for (let i = 0; i < length; i++) {
    let code = text.charCodeAt(i);
    if (code < 0x80) {
      out[at++] = code;
      continue;
    }
    if (code < 0x800) {
      out[at++] = 0xc0 | (code >> 6);
      out[at++] = 0x80 | (code & 63);
      continue;
    }
    if (code >= 0xd800 && code <= 0xdfff) {
      const next = i + 1 < length ? text.charCodeAt(i + 1) : 0;
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
        i++;
        out[at++] = 0xf0 | (code >> 18);
        out[at++] = 0x80 | ((code >> 12) & 63);
        out[at++] = 0x80 | ((code >> 6) & 63);
        out[at++] = 0x80 | (code & 63);
        continue;
      }
      code = 0xfffd;
    }
    out[at++] = 0xe0 | (code >> 12);
    out[at++] = 0x80 | ((code >> 6) & 63);
    out[at++] = 0x80 | (code & 63);
  }
  return out.subarray(0, at);
}

/** Number of UTF-8 bytes `encodeUtf8(text)` produces, without allocating. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

const REPLACEMENT = 0xfffd;

/** Decodes UTF-8; malformed sequences become U+FFFD (the WHATWG decoder's replacement mode), never an exception. */
export function decodeUtf8(bytes: Uint8Array, start = 0, end = bytes.length): string {
  const units: number[] = [];
  let text = '';
  let i = start;
  while (i < end) {
    const first = bytes[i] as number;
    let code = REPLACEMENT;
    let size = 1;
    if (first < 0x80) {
      code = first;
    } else if (first >= 0xc2 && first <= 0xdf) {
      const b1 = i + 1 < end ? (bytes[i + 1] as number) : 0;
      if ((b1 & 0xc0) === 0x80) {
        code = ((first & 31) << 6) | (b1 & 63);
        size = 2;
      }
    } else if (first >= 0xe0 && first <= 0xef) {
      const b1 = i + 1 < end ? (bytes[i + 1] as number) : 0;
      const low = first === 0xe0 ? 0xa0 : 0x80;
      const high = first === 0xed ? 0x9f : 0xbf;
      if (b1 >= low && b1 <= high) {
        const b2 = i + 2 < end ? (bytes[i + 2] as number) : 0;
        if ((b2 & 0xc0) === 0x80) {
          code = ((first & 15) << 12) | ((b1 & 63) << 6) | (b2 & 63);
          size = 3;
        } else size = 2;
      }
    } else if (first >= 0xf0 && first <= 0xf4) {
      const b1 = i + 1 < end ? (bytes[i + 1] as number) : 0;
      const low = first === 0xf0 ? 0x90 : 0x80;
      const high = first === 0xf4 ? 0x8f : 0xbf;
      if (b1 >= low && b1 <= high) {
        const b2 = i + 2 < end ? (bytes[i + 2] as number) : 0;
        if ((b2 & 0xc0) === 0x80) {
          const b3 = i + 3 < end ? (bytes[i + 3] as number) : 0;
          if ((b3 & 0xc0) === 0x80) {
            code = ((first & 7) << 18) | ((b1 & 63) << 12) | ((b2 & 63) << 6) | (b3 & 63);
            size = 4;
          } else size = 3;
        } else size = 2;
      }
    }
    i += size;
    if (code > 0xffff) {
      code -= 0x10000;
      units.push(0xd800 + (code >> 10), 0xdc00 + (code & 1023));
    } else units.push(code);
    // Flush in chunks: String.fromCharCode with a huge argument list would overflow the stack.
    if (units.length >= 4096) {
      text += String.fromCharCode(...units);
      units.length = 0;
    }
  }
  return units.length === 0 ? text : text + String.fromCharCode(...units);
}
