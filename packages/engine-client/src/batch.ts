// How many buffered packets one polling request may carry: the server rejects payloads over its maxPayload.
import type { EnginePacket } from '@switchboard/protocol';

/**
 * The leading packets of `buffer` whose v4 payload fits in `maxPayloadBytes` (at least one, so an oversized
 * packet still goes out and the server decides). 0 means no limit.
 */
export function takeBatch(buffer: readonly EnginePacket[], maxPayloadBytes: number): EnginePacket[] {
  if (!maxPayloadBytes) return buffer.slice();
  let bytes = 1;
  for (let i = 0; i < buffer.length; i++) {
    const data = (buffer[i] as EnginePacket).data;
    // Text counts its UTF-8 bytes; binary becomes 'b' + base64; each packet adds its type and a separator.
    bytes += 2 + (data === undefined ? 0 : typeof data === 'string' ? utf8Length(data) : Math.ceil(data.byteLength / 3) * 4);
    if (i > 0 && bytes > maxPayloadBytes) return buffer.slice(0, i);
  }
  return buffer.slice();
}

/** UTF-8 byte length without TextEncoder's allocation. */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code < 0xd800 || code >= 0xe000) bytes += 3;
    else {
      // A surrogate pair is one 4-byte character.
      i++;
      bytes += 4;
    }
  }
  return bytes;
}
