// Binary attachments: detecting binary in a value.

/** True when value contains a Uint8Array/ArrayBuffer/ArrayBufferView (or a Blob when the global exists) at any depth. */
export function hasBinary(value: unknown): boolean {
  void value;
  return false;
}
