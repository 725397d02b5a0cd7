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
    // An upper bound, cheaper than counting: a UTF-16 unit is at most 3 UTF-8 bytes (a surrogate pair, 2 units,
    // is 4). Binary becomes 'b' + base64. Each packet adds its type and a separator.
    bytes +=
      2 + (data === undefined ? 0 : typeof data === 'string' ? data.length * 3 : Math.ceil(data.byteLength / 3) * 4);
    if (i > 0 && bytes > maxPayloadBytes) return buffer.slice(0, i);
  }
  return buffer.slice();
}
