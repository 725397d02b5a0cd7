// Socket.IO packet type numbers as module constants: esbuild inlines imported constants, not object properties.
import type { PacketType } from '@switchboard/protocol';

export const CONNECT: typeof PacketType.CONNECT = 0;
export const DISCONNECT: typeof PacketType.DISCONNECT = 1;
export const EVENT: typeof PacketType.EVENT = 2;
export const ACK: typeof PacketType.ACK = 3;
export const CONNECT_ERROR: typeof PacketType.CONNECT_ERROR = 4;
export const BINARY_EVENT: typeof PacketType.BINARY_EVENT = 5;
export const BINARY_ACK: typeof PacketType.BINARY_ACK = 6;
