// A cluster message as a Redis stream entry, in @socket.io/redis-streams-adapter 0.3's layout (mixed clusters read
// each other's entries): fields `uid`, `nsp`, `type` (the number as a string) and `data` (JSON, or base64 msgpack
// when it holds binary), plus how XREAD/XRANGE replies are read.
import { hasBinary, MessageType, type ClusterMessage } from '@switchboard/adapter';
import notepack from 'notepack.io';

/** One entry as Redis returns it: its id (the offset) and its fields. */
export interface StreamEntry {
  id: string;
  fields: Record<string, string>;
}

/** The message types that may carry user data, hence binary (JSON is written otherwise, as the official does). */
const MAY_CONTAIN_BINARY = new Set<number>([
  MessageType.BROADCAST,
  MessageType.FETCH_SOCKETS_RESPONSE,
  MessageType.SERVER_SIDE_EMIT,
  MessageType.SERVER_SIDE_EMIT_RESPONSE,
  MessageType.BROADCAST_ACK,
]);

const OPENING_BRACE = '{'; // JSON data; base64 never starts with it

/**
 * The entry's fields, flattened for XADD: `uid`, `nsp`, `type`, and `data` when the message has some. With
 * `onlyPlaintext` the data is always JSON and never searched for binary (the user vouches there is none: a Buffer
 * would travel as JSON.stringify writes it, `{"type":"Buffer","data":[...]}`, as with the official adapter).
 */
export function encodeEntry(message: ClusterMessage, onlyPlaintext = false): string[] {
  const fields = ['uid', message.uid, 'nsp', message.nsp, 'type', String(message.type)];
  const data = (message as { data?: unknown }).data;
  if (data !== undefined) {
    const binary = !onlyPlaintext && MAY_CONTAIN_BINARY.has(message.type) && hasBinary(data);
    fields.push('data', binary ? (notepack.encode(data) as Buffer).toString('base64') : JSON.stringify(data));
  }
  return fields;
}

/**
 * The message an entry holds (its shape is checked later, by ClusterAdapter.onMessage). Throws on fields that do
 * not decode; the reader counts and skips such an entry.
 */
export function decodeEntry(fields: Record<string, string>): unknown {
  const { uid, nsp, type, data } = fields;
  if (uid === undefined || nsp === undefined || type === undefined) throw new Error('the entry lacks uid, nsp or type');
  const message: Record<string, unknown> = { uid, nsp, type: Number.parseInt(type, 10) };
  if (data !== undefined && data !== '') {
    message['data'] = data.startsWith(OPENING_BRACE) ? JSON.parse(data) : notepack.decode(Buffer.from(data, 'base64'));
  }
  return message;
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

/** `[id, [field, value, ...]]` as both clients return it (RESP2). */
function toEntry(raw: unknown): StreamEntry | undefined {
  if (!Array.isArray(raw) || !isString(raw[0])) return undefined;
  const flat: unknown = raw[1];
  const fields: Record<string, string> = {};
  if (Array.isArray(flat)) {
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const key: unknown = flat[i];
      const value: unknown = flat[i + 1];
      if (key !== undefined && value !== undefined && value !== null) fields[String(key)] = String(value);
    }
  }
  return { id: raw[0], fields };
}

/** The entries of an XRANGE reply. */
export function parseRange(reply: unknown): StreamEntry[] {
  if (!Array.isArray(reply)) return [];
  return reply.map(toEntry).filter((entry): entry is StreamEntry => entry !== undefined);
}

/** The entries of an XREAD reply on one stream (null when BLOCK timed out). */
export function parseRead(reply: unknown): StreamEntry[] {
  if (reply === null || reply === undefined) return [];
  // RESP2: [[stream, entries]]; RESP3 (node-redis v5 opted in): { stream: entries }.
  const first: unknown = Array.isArray(reply) ? reply[0] : Object.values(reply)[0];
  const entries: unknown = Array.isArray(first) && isString(first[0]) ? first[1] : first;
  return parseRange(entries);
}

/** Stream ids are `ms-seq`; compares two of them. */
export function compareIds(a: string, b: string): number {
  const [aMs = '0', aSeq = '0'] = a.split('-');
  const [bMs = '0', bSeq = '0'] = b.split('-');
  const byMs = BigInt(aMs) - BigInt(bMs);
  if (byMs !== 0n) return byMs < 0n ? -1 : 1;
  const bySeq = BigInt(aSeq) - BigInt(bSeq);
  return bySeq === 0n ? 0 : bySeq < 0n ? -1 : 1;
}

/** Whether `value` is a stream id (`ms-seq`). */
export function isStreamId(value: string): boolean {
  return /^\d{1,20}-\d{1,20}$/.test(value);
}

/** The id just after `id`: XRANGE's exclusive `(` start needs Redis 6.2, this works on every version. */
export function nextId(id: string): string {
  const [ms = '0', seq = '0'] = id.split('-');
  return `${ms}-${(BigInt(seq) + 1n).toString()}`;
}
