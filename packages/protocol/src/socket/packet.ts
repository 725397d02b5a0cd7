// Socket.IO v5 packet shape: the seven packet types and the fields a packet carries.

/** The Socket.IO protocol revision these codecs speak. */
export const SOCKET_PROTOCOL = 5;

/** Socket.IO packet types and their wire digits. */
export const PacketType = {
  CONNECT: 0,
  DISCONNECT: 1,
  EVENT: 2,
  ACK: 3,
  CONNECT_ERROR: 4,
  BINARY_EVENT: 5,
  BINARY_ACK: 6,
} as const;

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
