// Sockets described by another node's fetchSockets answer: checked before they become RemoteSockets.
import type { Handshake, SocketDetails } from '@switchboard/server';
import { isRecord, isStringArray } from './classic-wire.js';

/** The details of the sockets in an answer, or undefined when the answer is malformed. */
export function readRemoteSockets(value: unknown): SocketDetails[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const sockets: SocketDetails[] = [];
  for (const item of value) {
    if (
      !isRecord(item) ||
      typeof item['id'] !== 'string' ||
      !isStringArray(item['rooms']) ||
      !isRecord(item['handshake'])
    ) {
      return undefined;
    }
    sockets.push({
      id: item['id'],
      handshake: item['handshake'] as unknown as Handshake,
      rooms: new Set(item['rooms']),
      data: item['data'],
    });
  }
  return sockets;
}

/** A local socket as an answer carries it: JSON-ready, rooms as an array. */
export function describeSocket(socket: SocketDetails): {
  id: string;
  handshake: Handshake;
  rooms: string[];
  data: unknown;
} {
  return { id: socket.id, handshake: socket.handshake, rooms: [...socket.rooms], data: socket.data };
}
