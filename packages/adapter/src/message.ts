// The cluster wire format of socket.io-adapter 2.5 (ClusterAdapter / ClusterAdapterWithHeartbeat): messages
// `{ uid, nsp, type, data }` with the numeric types below. Anything read from the broker is checked here first.
import type { BroadcastFlags, BroadcastOptions, Handshake, Packet, Room, SocketDetails } from '@switchboard/server';

/** The message types, numbered as socket.io-adapter numbers them (mixed clusters depend on it). */
export const MessageType = {
  INITIAL_HEARTBEAT: 1,
  HEARTBEAT: 2,
  BROADCAST: 3,
  SOCKETS_JOIN: 4,
  SOCKETS_LEAVE: 5,
  DISCONNECT_SOCKETS: 6,
  FETCH_SOCKETS: 7,
  FETCH_SOCKETS_RESPONSE: 8,
  SERVER_SIDE_EMIT: 9,
  SERVER_SIDE_EMIT_RESPONSE: 10,
  BROADCAST_CLIENT_COUNT: 11,
  BROADCAST_ACK: 12,
  ADAPTER_CLOSE: 13,
} as const;

/** One of the numeric message types. */
export type MessageTypeValue = (typeof MessageType)[keyof typeof MessageType];

/** Broadcast options as they travel: arrays instead of sets. */
export interface WireBroadcastOptions {
  rooms: Room[];
  except: Room[];
  flags?: BroadcastFlags;
}

/** A socket as a FETCH_SOCKETS_RESPONSE describes it. */
export interface WireSocket {
  id: string;
  handshake: Handshake;
  rooms: Room[];
  data: unknown;
}

/** A message's type and payload, before the sender stamps its `uid` and `nsp`. */
export type ClusterMessageBody =
  | { type: typeof MessageType.INITIAL_HEARTBEAT | typeof MessageType.HEARTBEAT | typeof MessageType.ADAPTER_CLOSE }
  | { type: typeof MessageType.BROADCAST; data: { packet: Packet; opts: WireBroadcastOptions; requestId?: string } }
  | {
      type: typeof MessageType.SOCKETS_JOIN | typeof MessageType.SOCKETS_LEAVE;
      data: { opts: WireBroadcastOptions; rooms: Room[] };
    }
  | { type: typeof MessageType.DISCONNECT_SOCKETS; data: { opts: WireBroadcastOptions; close: boolean } }
  | { type: typeof MessageType.FETCH_SOCKETS; data: { opts: WireBroadcastOptions; requestId: string } }
  | { type: typeof MessageType.FETCH_SOCKETS_RESPONSE; data: { requestId: string; sockets: WireSocket[] } }
  | { type: typeof MessageType.SERVER_SIDE_EMIT; data: { packet: unknown[]; requestId?: string } }
  | {
      type: typeof MessageType.SERVER_SIDE_EMIT_RESPONSE | typeof MessageType.BROADCAST_ACK;
      data: { requestId: string; packet: unknown };
    }
  | { type: typeof MessageType.BROADCAST_CLIENT_COUNT; data: { requestId: string; clientCount: number } };

/** A message between the servers of a cluster: `uid` names the sending adapter, `nsp` its namespace. */
export type ClusterMessage = ClusterMessageBody & { uid: string; nsp: string };

/** The flags a remote server may apply; `local` is the sender's business and never travels back. */
const WIRE_FLAGS = ['volatile', 'compress', 'binary', 'broadcast', 'expectSingleResponse'] as const;

/** Options to their wire form. */
export function encodeOptions(opts: BroadcastOptions): WireBroadcastOptions {
  const wire: WireBroadcastOptions = {
    rooms: [...opts.rooms],
    except: opts.except === undefined ? [] : [...opts.except],
  };
  if (opts.flags !== undefined) wire.flags = opts.flags;
  return wire;
}

/** Wire options back to sets, keeping only flags that mean something on the receiving server. */
export function decodeOptions(wire: WireBroadcastOptions): BroadcastOptions {
  const flags: BroadcastFlags = {};
  const given = wire.flags as Record<string, unknown> | undefined;
  if (given !== undefined) {
    for (const name of WIRE_FLAGS) if (typeof given[name] === 'boolean') flags[name] = given[name];
    if (typeof given.timeout === 'number') flags.timeout = given.timeout;
  }
  return { rooms: new Set(wire.rooms), except: new Set(wire.except), flags };
}

/** A local socket in its wire form. */
export function encodeSocket(socket: SocketDetails): WireSocket {
  return { id: socket.id, handshake: socket.handshake, rooms: [...socket.rooms], data: socket.data };
}

/** A remote socket as `fetchSockets` returns it. */
export function decodeSocket(wire: WireSocket): SocketDetails {
  return { id: wire.id, handshake: wire.handshake, rooms: new Set(wire.rooms), data: wire.data };
}

// --- validation of what arrives ---------------------------------------------------------------------------------

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function isOptions(value: unknown): value is WireBroadcastOptions {
  if (!isRecord(value) || !isStringArray(value.rooms)) return false;
  // Some emitters omit `except` or send null flags: accepted as "none".
  if (value.except === undefined || value.except === null) value.except = [];
  if (value.flags === null) delete value.flags;
  return isStringArray(value.except) && (value.flags === undefined || isRecord(value.flags));
}

function isPacket(value: unknown): value is Packet {
  return isRecord(value) && typeof value.type === 'number' && (value.data === undefined || Array.isArray(value.data));
}

function isWireSocket(value: unknown): value is WireSocket {
  return isRecord(value) && typeof value.id === 'string' && isRecord(value.handshake) && isStringArray(value.rooms);
}

function isOptionalRequestId(value: unknown): boolean {
  return value === undefined || typeof value === 'string';
}

/** Checks a decoded message's shape; returns it typed, or undefined when it is not one this format defines. */
export function parseClusterMessage(value: unknown): ClusterMessage | undefined {
  if (!isRecord(value) || typeof value.uid !== 'string' || typeof value.nsp !== 'string') return undefined;
  const data = value.data;
  const d = isRecord(data) ? data : undefined;
  let valid: boolean;
  switch (value.type) {
    case MessageType.INITIAL_HEARTBEAT:
    case MessageType.HEARTBEAT:
    case MessageType.ADAPTER_CLOSE:
      valid = true;
      break;
    case MessageType.BROADCAST:
      valid = d !== undefined && isPacket(d.packet) && isOptions(d.opts) && isOptionalRequestId(d.requestId);
      break;
    case MessageType.SOCKETS_JOIN:
    case MessageType.SOCKETS_LEAVE:
      valid = d !== undefined && isOptions(d.opts) && isStringArray(d.rooms);
      break;
    case MessageType.DISCONNECT_SOCKETS:
      valid = d !== undefined && isOptions(d.opts) && typeof d.close === 'boolean';
      break;
    case MessageType.FETCH_SOCKETS:
      valid = d !== undefined && isOptions(d.opts) && typeof d.requestId === 'string';
      break;
    case MessageType.FETCH_SOCKETS_RESPONSE:
      valid =
        d !== undefined && typeof d.requestId === 'string' && Array.isArray(d.sockets) && d.sockets.every(isWireSocket);
      break;
    case MessageType.SERVER_SIDE_EMIT:
      valid = d !== undefined && Array.isArray(d.packet) && d.packet.length > 0 && isOptionalRequestId(d.requestId);
      break;
    case MessageType.SERVER_SIDE_EMIT_RESPONSE:
    case MessageType.BROADCAST_ACK:
      valid = d !== undefined && typeof d.requestId === 'string';
      break;
    case MessageType.BROADCAST_CLIENT_COUNT:
      valid =
        d !== undefined &&
        typeof d.requestId === 'string' &&
        Number.isSafeInteger(d.clientCount) &&
        (d.clientCount as number) >= 0;
      break;
    default:
      valid = false;
  }
  return valid ? (value as unknown as ClusterMessage) : undefined;
}
