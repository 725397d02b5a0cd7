// Socket.IO v5 packet shape: the seven packet types and the fields a packet carries.

/** The Socket.IO protocol revision these codecs speak. */
export const SOCKET_PROTOCOL = 5;

// Each type is also a module constant: the codecs use those, which bundlers inline (object properties stay lookups).
export const CONNECT = 0;
export const DISCONNECT = 1;
export const EVENT = 2;
export const ACK = 3;
export const CONNECT_ERROR = 4;
export const BINARY_EVENT = 5;
export const BINARY_ACK = 6;

/** Socket.IO packet types and their wire digits. */
export const PacketType = { CONNECT, DISCONNECT, EVENT, ACK, CONNECT_ERROR, BINARY_EVENT, BINARY_ACK } as const;

/** One of the `PacketType` values. */
export type PacketTypeValue = (typeof PacketType)[keyof typeof PacketType];

/** One Socket.IO packet. */
export interface Packet {
  type: PacketTypeValue;
  /** '/' when absent on the wire. */
  nsp: string;
  /** CONNECT: object|undefined; EVENT/ACK: array; CONNECT_ERROR: object. */
  data?: unknown;
  /** Ack id. */
  id?: number;
  /** Set by the encoder for BINARY_*; ignored on input. */
  attachments?: number;
}
