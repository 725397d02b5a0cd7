// The classic Redis adapter's wire: channel names, request types and the checks every message from Redis passes.
// Requests and responses are JSON when their first byte is `{`, otherwise the parser's (msgpack) encoding; which one
// each message uses follows @socket.io/redis-adapter 8.3 so both kinds of nodes read each other.
import type { Packet } from '@switchboard/server';
import type { RedisParser } from './classic-parser.js';

/** Request and response types of the classic adapter (not the cluster adapter's numbering). */
export const RequestType = {
  SOCKETS: 0,
  ALL_ROOMS: 1,
  REMOTE_JOIN: 2,
  REMOTE_LEAVE: 3,
  REMOTE_DISCONNECT: 4,
  REMOTE_FETCH: 5,
  SERVER_SIDE_EMIT: 6,
  BROADCAST: 7,
  BROADCAST_CLIENT_COUNT: 8,
  BROADCAST_ACK: 9,
} as const;

export type RequestTypeValue = (typeof RequestType)[keyof typeof RequestType];

const OPENING_BRACE = 0x7b; // a JSON request or response; anything else is the parser's encoding

/** The channels of one namespace. */
export interface Channels {
  /** `${key}#${nsp}#`: broadcasts to everyone, and the prefix of `${key}#${nsp}#${room}#` for one room. */
  readonly broadcast: string;
  /** `${key}-request#${nsp}#`; its subscriber count is the server count. */
  readonly request: string;
  /** `${key}-response#${nsp}#`. */
  readonly response: string;
  /** `${key}-response#${nsp}#${uid}#`, used by nodes with `publishOnSpecificResponseChannel`. */
  readonly specificResponse: string;
}

export function channelsOf(key: string, nsp: string, uid: string): Channels {
  const response = `${key}-response#${nsp}#`;
  return {
    broadcast: `${key}#${nsp}#`,
    request: `${key}-request#${nsp}#`,
    response,
    specificResponse: `${response}${uid}#`,
  };
}

/** The channel a broadcast goes to: the room's own channel when exactly one room is targeted. */
export function broadcastChannel(channels: Channels, rooms: ReadonlySet<string>): string {
  if (rooms.size !== 1) return channels.broadcast;
  return `${channels.broadcast}${rooms.values().next().value as string}#`;
}

/** A Redis glob pattern matching exactly the channels that start with `prefix`. */
export function patternFor(prefix: string): string {
  return `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
}

/** What a broadcast carries besides the packet. */
export interface WireBroadcastOptions {
  rooms: string[];
  except: string[];
  flags: Record<string, unknown>;
}

/** A broadcast message `[uid, packet, opts]`, checked. */
export interface BroadcastMessage {
  uid: string;
  packet: Packet;
  opts: WireBroadcastOptions;
}

/** A request or response, checked only for being an object with the fields every message may carry. */
export interface WireMessage {
  readonly [field: string]: unknown;
  type?: unknown;
  uid?: unknown;
  requestId?: unknown;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** Rooms and except of a request's `opts`, or undefined when malformed (`except` may be absent). */
export function readTargets(value: unknown): { rooms: Set<string>; except: Set<string> } | undefined {
  if (!isRecord(value) || !isStringArray(value['rooms'])) return undefined;
  const except = value['except'] ?? [];
  if (!isStringArray(except)) return undefined;
  return { rooms: new Set(value['rooms']), except: new Set(except) };
}

/** Checks a packet from another node: only events are ever broadcast. */
export function readPacket(value: unknown): Packet | undefined {
  if (!isRecord(value)) return undefined;
  const { type, data, nsp } = value;
  if (type !== 2 && type !== 5) return undefined; // EVENT, or BINARY_EVENT from an encoder that marked it
  if (!Array.isArray(data) || data.length === 0 || (typeof data[0] !== 'string' && typeof data[0] !== 'number'))
    return undefined;
  if (nsp !== undefined && typeof nsp !== 'string') return undefined;
  return { type, data, nsp: nsp ?? '/' };
}

/** Decodes and checks a broadcast message; a reason string when it is malformed. */
export function decodeBroadcast(parser: RedisParser, bytes: Uint8Array): BroadcastMessage | string {
  let decoded: unknown;
  try {
    decoded = parser.decode(bytes);
  } catch (err) {
    return `undecodable broadcast: ${String(err)}`;
  }
  if (!Array.isArray(decoded) || decoded.length < 3) return 'a broadcast is not [uid, packet, opts]';
  const [uid, rawPacket, rawOpts] = decoded as [unknown, unknown, unknown];
  if (typeof uid !== 'string') return 'a broadcast uid is not a string';
  const packet = readPacket(rawPacket);
  if (packet === undefined) return 'a broadcast packet is not an event';
  const targets = readTargets(rawOpts);
  if (targets === undefined || !isRecord(rawOpts)) return 'a broadcast has malformed rooms or except';
  const flags = isRecord(rawOpts['flags']) ? rawOpts['flags'] : {};
  return { uid, packet, opts: { rooms: [...targets.rooms], except: [...targets.except], flags } };
}

/** Decodes a request or response (JSON or the parser's encoding); a reason string when it is malformed. */
export function decodeMessage(parser: RedisParser, bytes: Buffer): WireMessage | string {
  let decoded: unknown;
  try {
    decoded = bytes[0] === OPENING_BRACE ? JSON.parse(bytes.toString('utf8')) : parser.decode(bytes);
  } catch (err) {
    return `undecodable message: ${String(err)}`;
  }
  if (!isRecord(decoded)) return 'a message is not an object';
  return decoded;
}
