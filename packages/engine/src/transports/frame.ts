// Builds a complete server-to-client WebSocket frame (RFC 6455 §5.2: FIN, opcode, unmasked length, payload) in ONE
// buffer, so a frame costs one socket write instead of ws's header-plus-payload writev.

const FIN = 0x80;
const OPCODE_TEXT = 0x1;
const OPCODE_BINARY = 0x2;
const LENGTH_16 = 126; // the next 2 bytes hold the length
const LENGTH_64 = 127; // the next 8 bytes hold the length

function headerSize(length: number): number {
  if (length < LENGTH_16) return 2;
  return length < 0x10000 ? 4 : 10;
}

function writeHeader(target: Buffer, opcode: number, length: number): number {
  target[0] = FIN | opcode;
  if (length < LENGTH_16) {
    target[1] = length;
    return 2;
  }
  if (length < 0x10000) {
    target[1] = LENGTH_16;
    target.writeUInt16BE(length, 2);
    return 4;
  }
  target[1] = LENGTH_64;
  target.writeUInt32BE(Math.floor(length / 0x1_0000_0000), 2);
  target.writeUInt32BE(length >>> 0, 6);
  return 10;
}

/** One final, unmasked frame: text frames for strings (UTF-8), binary frames for bytes. */
export function encodeFrame(payload: string | Uint8Array): Buffer {
  if (typeof payload === 'string') {
    const length = Buffer.byteLength(payload);
    const frame = Buffer.allocUnsafe(headerSize(length) + length);
    frame.write(payload, writeHeader(frame, OPCODE_TEXT, length), 'utf8');
    return frame;
  }
  const length = payload.byteLength;
  const frame = Buffer.allocUnsafe(headerSize(length) + length);
  frame.set(payload, writeHeader(frame, OPCODE_BINARY, length));
  return frame;
}
