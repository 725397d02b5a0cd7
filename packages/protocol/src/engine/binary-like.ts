// Recognising and viewing the binary shapes callers hand us (Buffer, Uint8Array, ArrayBuffer, any ArrayBufferView).

/** Binary data as decoders accept it; a Node Buffer is a Uint8Array. */
export type BinaryLike = Uint8Array | ArrayBuffer;

/** True for an ArrayBuffer or any ArrayBufferView (typed arrays, DataView, Node Buffer). */
export function isBinaryLike(value: unknown): value is ArrayBuffer | ArrayBufferView {
  return value instanceof Uint8Array || value instanceof ArrayBuffer || ArrayBuffer.isView(value);
}

/** A Uint8Array over the same bytes, without copying. */
export function toUint8Array(value: ArrayBuffer | ArrayBufferView): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
}
