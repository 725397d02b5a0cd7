// Socket.IO packet validation shared by both sides: payload shape per type, depth, hostile keys, placeholders.

import { CodecError, CodecErrorCode } from '../errors.js';
import { PLACEHOLDER_KEY, type PlaceholderSlot } from './binary.js';
import { PacketType, type PacketTypeValue } from './packet.js';

/** Reserved event names that users may not emit or receive. */
export const RESERVED_EVENTS: ReadonlySet<string> = new Set([
  'connect',
  'connect_error',
  'disconnect',
  'disconnecting',
  'newListener',
  'removeListener',
]);

/** Checks that `data` has the shape the packet type requires (see PROTOCOL-NOTES); undefined when it does. */
export function checkPayloadShape(type: PacketTypeValue, data: unknown): CodecError | undefined {
  switch (type) {
    case PacketType.CONNECT:
      return data === undefined || isPlainObject(data)
        ? undefined
        : new CodecError(CodecErrorCode.INVALID_PACKET, 'CONNECT payload must be an object');
    case PacketType.DISCONNECT:
      return data === undefined ? undefined : new CodecError(CodecErrorCode.INVALID_PACKET, 'DISCONNECT takes no payload');
    case PacketType.EVENT:
    case PacketType.BINARY_EVENT:
      if (!Array.isArray(data) || data.length === 0) {
        return new CodecError(CodecErrorCode.INVALID_EVENT, 'EVENT payload must be a non-empty array');
      }
      return typeof data[0] === 'string' || typeof data[0] === 'number'
        ? undefined
        : new CodecError(CodecErrorCode.INVALID_EVENT, 'event name must be a string or a number');
    case PacketType.ACK:
    case PacketType.BINARY_ACK:
      return Array.isArray(data) ? undefined : new CodecError(CodecErrorCode.INVALID_PACKET, 'ACK payload must be an array');
    case PacketType.CONNECT_ERROR:
      return typeof data === 'string' || isPlainObject(data)
        ? undefined
        : new CodecError(CodecErrorCode.INVALID_PACKET, 'CONNECT_ERROR payload must be an object or a string');
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Keys that could reach Object.prototype when a consumer merges decoded data into another object. */
function isHostileKey(key: string): boolean {
  return key === '__proto__' || key === 'constructor' || key === 'prototype';
}

/**
 * True when `json` cannot yield a hostile key: each needs 'proto' or 'constructor' spelled out, or a '\u' escape.
 * Lets the walk skip key comparisons on nearly every packet.
 */
export function mayHoldHostileKeys(json: string): boolean {
  return json.includes('proto') || json.includes('constructor') || json.includes('\\u');
}

/** What the walk of decoded data needs to know. */
export interface WalkOptions {
  maxDepth: number;
  checkKeys: boolean;
  /** Attachments announced by a BINARY_* packet; undefined for other packets (placeholders stay plain objects). */
  attachments: number | undefined;
}

/**
 * Walks decoded JSON without recursion (hostile input may nest deeply): enforces maxDepth, rejects hostile keys,
 * and for binary packets validates every placeholder and records where it sits.
 */
export function walkDecodedData(data: unknown, options: WalkOptions, slots: PlaceholderSlot[]): CodecError | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const values: object[] = [data];
  const depths: number[] = [1];
  while (values.length > 0) {
    const value = values.pop() as object;
    const depth = depths.pop() as number;
    if (depth > options.maxDepth) {
      return new CodecError(CodecErrorCode.TOO_DEEP, `payload nests deeper than ${options.maxDepth} levels`);
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const child: unknown = value[i];
        if (typeof child !== 'object' || child === null) continue;
        if (options.attachments !== undefined && isPlaceholderCandidate(child)) {
          const error = recordPlaceholder(child, value, i, options.attachments, slots);
          if (error !== undefined) return error;
          continue;
        }
        values.push(child);
        depths.push(depth + 1);
      }
      continue;
    }
    const record = value as Record<string, unknown>;
    for (const key in record) {
      if (options.checkKeys && isHostileKey(key)) {
        return new CodecError(CodecErrorCode.PROTOTYPE_POLLUTION, `forbidden key ${JSON.stringify(key)} in payload`);
      }
      const child = record[key];
      if (typeof child !== 'object' || child === null) continue;
      if (options.attachments !== undefined && isPlaceholderCandidate(child)) {
        const error = recordPlaceholder(child, record, key, options.attachments, slots);
        if (error !== undefined) return error;
        continue;
      }
      values.push(child);
      depths.push(depth + 1);
    }
  }
  return undefined;
}

function isPlaceholderCandidate(value: object): boolean {
  return (value as Record<string, unknown>)[PLACEHOLDER_KEY] === true;
}

function recordPlaceholder(
  placeholder: object,
  parent: Record<string, unknown> | unknown[],
  key: string | number,
  attachments: number,
  slots: PlaceholderSlot[],
): CodecError | undefined {
  const num = (placeholder as Record<string, unknown>)['num'];
  if (typeof num !== 'number' || !Number.isInteger(num) || num < 0 || num >= attachments) {
    return new CodecError(
      CodecErrorCode.INVALID_ATTACHMENTS,
      // Describe a non-number by its type only: serializing hostile input into the message would cost and leak.
      `placeholder num ${typeof num === 'number' ? String(num) : typeof num} is not an attachment index below ${attachments}`,
    );
  }
  slots.push({ parent, key, num });
  return undefined;
}
