// Socket.IO v5 encoder: one packet to its text message plus, for binary packets, the attachments.

import { isBinaryLike, toUint8Array } from '../engine/binary-like.js';
import { hasBinary, replaceBinary } from './binary.js';
import { ACK, BINARY_ACK, BINARY_EVENT, EVENT, type Packet, type PacketTypeValue } from './packet.js';

/**
 * socket.io-parser compatible encoder: EVENT/ACK with binary become BINARY_EVENT/BINARY_ACK,
 * each binary replaced by {"_placeholder":true,"num":i}; returns [text, ...attachments].
 * ArrayBuffers and other views become Uint8Array views of the same bytes; a Blob (browsers) is passed through
 * unchanged for the transport to send. Data JSON.stringify rejects (cycles, BigInt) throws, as it does in socket.io.
 * @example
 * new Encoder().encode({ type: PacketType.EVENT, nsp: '/', data: ['ev', 1] }); // ['2["ev",1]']
 */
export class Encoder {
  /** Encodes one packet as the Engine.IO messages that carry it. */
  encode(packet: Packet): Array<string | Uint8Array> {
    const type = packet.type;
    if (type === BINARY_EVENT || type === BINARY_ACK || ((type === EVENT || type === ACK) && hasBinary(packet.data))) {
      return encodeBinary(packet);
    }
    return [encodeText(type, packet.nsp, packet.id, packet.data, undefined)];
  }
}

function encodeText(
  type: PacketTypeValue,
  nsp: string,
  id: number | undefined,
  data: unknown,
  attachments: number | undefined,
): string {
  // The type's wire digit (V8 caches the strings of small integers; no lookup table in browser bundles).
  let text = '' + type;
  if (attachments !== undefined) text += attachments + '-';
  // The namespace is written only when it is not the main one, and always ends with a comma.
  if (nsp !== '/' && nsp !== '' && nsp !== undefined) text += nsp + ',';
  if (id !== undefined && id !== null) text += id;
  // null and undefined send no payload, as socket.io-parser does.
  if (data !== undefined && data !== null) text += JSON.stringify(data);
  return text;
}

function encodeBinary(packet: Packet): Array<string | Uint8Array> {
  const binaries: object[] = [];
  const data = replaceBinary(packet.data, binaries);
  const isEvent = packet.type === EVENT || packet.type === BINARY_EVENT;
  const type = isEvent ? BINARY_EVENT : BINARY_ACK;
  const messages: Array<string | Uint8Array> = [encodeText(type, packet.nsp, packet.id, data, binaries.length)];
  for (const binary of binaries) {
    // A Blob (browsers) cannot be read synchronously: it goes out as is and the transport sends it.
    messages.push(isBinaryLike(binary) ? toUint8Array(binary) : (binary as Uint8Array));
  }
  return messages;
}
