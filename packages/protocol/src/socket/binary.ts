// Binary attachments: finding binary in a value, replacing it with placeholders, and putting it back.

import { isBinaryLike } from '../engine/binary-like.js';

/** The key/value that marks a placeholder object: {"_placeholder":true,"num":<index>}. */
export const PLACEHOLDER_KEY = '_placeholder';

/** A placeholder as it appears in the packet JSON. */
export interface Placeholder {
  _placeholder: true;
  num: number;
}

type BlobConstructor = abstract new (...args: never[]) => object;
/** Blob exists in browsers and Node >= 18 (File extends it); looked up once, never required. */
const BlobClass = (globalThis as { Blob?: BlobConstructor }).Blob;

/** True for a value sent as an attachment: ArrayBuffer, any ArrayBufferView (Buffer included), Blob or File. */
export function isBinary(value: object): boolean {
  return isBinaryLike(value) || (typeof BlobClass === 'function' && value instanceof BlobClass);
}

/** True when value contains a Uint8Array/ArrayBuffer/ArrayBufferView (or a Blob when the global exists) at any depth. */
export function hasBinary(value: unknown): boolean {
  return containsBinary(value, false);
}

function containsBinary(value: unknown, afterToJSON: boolean): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (containsBinary(value[i], false)) return true;
    return false;
  }
  if (isBinary(value)) return true;
  // JSON.stringify sends what toJSON returns, so that is what may hold binary (once: toJSON's result is final).
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function' && !afterToJSON) return containsBinary((toJSON as () => unknown).call(value), true);
  for (const key in value) {
    if (
      Object.prototype.hasOwnProperty.call(value, key) &&
      containsBinary((value as Record<string, unknown>)[key], false)
    ) {
      return true;
    }
  }
  return false;
}

/**
 * A copy of `value` with each binary replaced by a placeholder whose `num` is its index in `attachments`,
 * in depth-first order as socket.io-parser numbers them.
 */
export function replaceBinary(value: unknown, attachments: object[]): unknown {
  return replaceIn(value, attachments, false);
}

function replaceIn(value: unknown, attachments: object[], afterToJSON: boolean): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (isBinary(value)) {
    const placeholder: Placeholder = { _placeholder: true, num: attachments.length };
    attachments.push(value);
    return placeholder;
  }
  if (Array.isArray(value)) {
    const copy: unknown[] = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) copy[i] = replaceIn(value[i], attachments, false);
    return copy;
  }
  // Dates and other toJSON objects: walk what JSON.stringify would send, calling toJSON once as it does.
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function' && !afterToJSON) {
    return replaceIn((toJSON as () => unknown).call(value), attachments, true);
  }
  const copy: Record<string, unknown> = {};
  for (const key in value) {
    if (Object.prototype.hasOwnProperty.call(value, key)) {
      copy[key] = replaceIn((value as Record<string, unknown>)[key], attachments, false);
    }
  }
  return copy;
}

/** Where a placeholder sits in decoded data, so it can be swapped for its attachment without another walk. */
export interface PlaceholderSlot {
  parent: Record<string, unknown> | unknown[];
  key: string | number;
  num: number;
}

/** Puts attachments back at the recorded placeholder slots (a placeholder is never the root: data is an array). */
export function restoreBinary(slots: readonly PlaceholderSlot[], attachments: readonly unknown[]): void {
  for (const slot of slots) {
    (slot.parent as Record<string | number, unknown>)[slot.key] = attachments[slot.num];
  }
}
