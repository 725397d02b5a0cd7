// Socket.IO packet validation shared by both sides: payload shape per type, depth, hostile keys, placeholders.

import { CodecError } from '../errors.js';
import { PLACEHOLDER_KEY, type PlaceholderSlot } from './binary.js';
import { OPEN_BRACE, OPEN_BRACKET } from '../wire-constants.js';
import {
  ACK,
  BINARY_ACK,
  BINARY_EVENT,
  CONNECT,
  CONNECT_ERROR,
  DISCONNECT,
  EVENT,
  type PacketTypeValue,
} from './packet.js';

/** Reserved event names that users may not emit or receive. */
export const RESERVED_EVENTS: ReadonlySet<string> = new Set([
  'connect',
  'connect_error',
  'disconnect',
  'disconnecting',
  'newListener',
  'removeListener',
]);

/**
 * Checks that `data` has the shape the packet type requires (see PROTOCOL-NOTES) and carries at most `maxArguments`
 * arguments; undefined when it does.
 */
export function checkPayloadShape(type: PacketTypeValue, data: unknown, maxArguments: number): CodecError | undefined {
  switch (type) {
    case CONNECT:
      return data === undefined || isPlainObject(data)
        ? undefined
        : new CodecError('CODEC_ERR_INVALID_PACKET', 'CONNECT payload not an object');
    case DISCONNECT:
      return data === undefined ? undefined : new CodecError('CODEC_ERR_INVALID_PACKET', 'DISCONNECT takes no payload');
    case EVENT:
    case BINARY_EVENT:
      if (!Array.isArray(data) || data.length === 0) {
        return new CodecError('CODEC_ERR_INVALID_EVENT', 'EVENT payload not a non-empty array');
      }
      return typeof data[0] === 'string' || typeof data[0] === 'number'
        ? checkArgumentCount(data.length - 1, maxArguments)
        : new CodecError('CODEC_ERR_INVALID_EVENT', 'event name not a string or number');
    case ACK:
    case BINARY_ACK:
      return Array.isArray(data)
        ? checkArgumentCount(data.length, maxArguments)
        : new CodecError('CODEC_ERR_INVALID_PACKET', 'ACK payload not an array');
    case CONNECT_ERROR:
      return typeof data === 'string' || isPlainObject(data)
        ? undefined
        : new CodecError('CODEC_ERR_INVALID_PACKET', 'CONNECT_ERROR payload not an object or string');
  }
}

function checkArgumentCount(count: number, maxArguments: number): CodecError | undefined {
  if (count > maxArguments) return new CodecError('CODEC_ERR_TOO_MANY_ARGUMENTS', 'too many arguments');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Keys that could reach a prototype when a consumer merges decoded data into another object: `__proto__` (a merge
 * assigns it through the setter), and `constructor` holding a `prototype` (the `{constructor:{prototype:{..}}}` path
 * of recursive merges to Object.prototype). `constructor` or `prototype` alone is plain data and accepted, as in
 * socket.io.
 */
function isHostileEntry(key: string, value: unknown): boolean {
  // A JSON value has a `prototype` only as its own key: strings, numbers and arrays have none.
  return (
    key === '__proto__' || (key === 'constructor' && (value as { prototype?: unknown } | null)?.prototype !== undefined)
  );
}

/**
 * False when `json` cannot yield a hostile entry: `__proto__` and the `prototype` under a `constructor` both spell
 * 'proto', unless written with a '\u' escape. Lets the walk skip key comparisons on nearly every packet.
 */
export function mayHoldHostileKeys(json: string): boolean {
  return json.includes('proto') || json.includes('\\u');
}

/**
 * True when `json` might nest deeper than `maxDepth` levels: every level opens with a bracket, so text with at most
 * `maxDepth` of them (short text always) cannot. Brackets inside strings only make the answer more cautious. Lets
 * the decoder skip walking the decoded data of nearly every packet.
 */
export function mayNestDeeperThan(json: string, maxDepth: number): boolean {
  // A level takes two characters at least ("[]"), so shorter text needs no count.
  if (json.length <= 2 * maxDepth) return false;
  let openers = 0;
  for (let i = 0; i < json.length; i++) {
    const code = json.charCodeAt(i);
    if ((code === OPEN_BRACKET || code === OPEN_BRACE) && ++openers > maxDepth) return true;
  }
  return false;
}

/** What the walk of decoded data needs to know. */
export interface WalkOptions {
  maxDepth: number;
  checkKeys: boolean;
  /** Attachments announced by a BINARY_* packet; undefined for other packets (placeholders stay plain objects). */
  attachments: number | undefined;
}

/** The walk's explicit stack (values with their depths) and where it records placeholders. */
interface WalkState {
  readonly values: object[];
  readonly depths: number[];
  readonly attachments: number | undefined;
  readonly slots: PlaceholderSlot[];
}

/**
 * Walks decoded JSON without recursion (hostile input may nest deeply): enforces maxDepth, rejects hostile keys,
 * and for binary packets validates every placeholder and records where it sits.
 */
export function walkDecodedData(data: unknown, options: WalkOptions, slots: PlaceholderSlot[]): CodecError | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const state: WalkState = { values: [data], depths: [1], attachments: options.attachments, slots };
  while (state.values.length > 0) {
    const value = state.values.pop() as object;
    const depth = state.depths.pop() as number;
    if (depth > options.maxDepth) return new CodecError('CODEC_ERR_TOO_DEEP', `deeper than ${options.maxDepth} levels`);
    let error: CodecError | undefined;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length && error === undefined; i++) error = visit(value[i], value, i, depth, state);
    } else {
      const record = value as Record<string, unknown>;
      // for-in rather than Object.keys: JSON.parse objects have no inherited enumerable keys, and it allocates nothing.
      for (const key in record) {
        if (options.checkKeys && isHostileEntry(key, record[key])) {
          return new CodecError('CODEC_ERR_PROTOTYPE_POLLUTION', `forbidden key ${key}`);
        }
        error = visit(record[key], record, key, depth, state);
        if (error !== undefined) break;
      }
    }
    if (error !== undefined) return error;
  }
  return undefined;
}

/** Queues an object child for the walk, or validates and records it when it is a placeholder. */
function visit(
  child: unknown,
  parent: Record<string, unknown> | unknown[],
  key: string | number,
  depth: number,
  state: WalkState,
): CodecError | undefined {
  if (typeof child !== 'object' || child === null) return undefined;
  if (state.attachments !== undefined && (child as Record<string, unknown>)[PLACEHOLDER_KEY] === true) {
    const num = (child as Record<string, unknown>)['num'];
    if (typeof num !== 'number' || !Number.isInteger(num) || num < 0 || num >= state.attachments) {
      return new CodecError('CODEC_ERR_INVALID_ATTACHMENTS', 'placeholder num out of range');
    }
    state.slots.push({ parent, key, num });
    return undefined;
  }
  state.values.push(child);
  state.depths.push(depth + 1);
  return undefined;
}
