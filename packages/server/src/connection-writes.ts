// Writing to one engine connection: a packet encoded for it alone, a packet encoded once for many, and the raw
// chunks socket.io-adapter hands over; volatile packets go out only when the transport is ready.
import type { Packet } from '@switchboard/protocol';
import type { BroadcastFlags, EncodedPacket } from './adapter/types.js';
import type { EngineConnection } from './engine-connection.js';
import type { ParserEncoder } from './parser.js';

// Shared write options: the engine copies what it needs, so one object serves every write.
const COMPRESSED: SendOptions = Object.freeze({ compress: true });
const UNCOMPRESSED: SendOptions = Object.freeze({ compress: false });
// Volatile packets are also the first the engine drops for a client that reads too slowly (maxBufferedBytes).
const COMPRESSED_VOLATILE: SendOptions = Object.freeze({ compress: true, volatile: true });
const UNCOMPRESSED_VOLATILE: SendOptions = Object.freeze({ compress: false, volatile: true });
const VOLATILE: { volatile: boolean } = Object.freeze({ volatile: true });

interface SendOptions {
  compress: boolean;
  volatile?: boolean;
}

/** The options socket.io-adapter passes to `writeToEngine` (it may add fields we do not use). */
export interface WriteToEngineOptions {
  volatile?: boolean | undefined;
  compress?: boolean | undefined;
}

/**
 * Whether a volatile packet may go out now. As in socket.io, only when the transport is ready to write: nothing
 * is waiting to be written yet (socket.io writes at once, which makes its transport busy), so of several volatile
 * packets sent in one tick only the first goes out.
 */
function canWriteVolatile(conn: EngineConnection): boolean {
  if (conn.transport.writable === false) return false;
  const pending = conn.writeBuffer;
  return pending === undefined || pending.length === 0;
}

/**
 * Encodes and writes `packet`. `foreignEngine`: engines other than ours mutate the write options they are given,
 * so each write then gets its own copy.
 */
export function writePacket(
  conn: EngineConnection,
  foreignEngine: boolean,
  encoder: ParserEncoder,
  packet: Packet,
  flags: BroadcastFlags | undefined,
): void {
  const volatile = flags?.volatile === true;
  if (volatile && !canWriteVolatile(conn)) return;
  const options =
    flags?.compress === false
      ? volatile
        ? UNCOMPRESSED_VOLATILE
        : UNCOMPRESSED
      : volatile
        ? COMPRESSED_VOLATILE
        : COMPRESSED;
  for (const chunk of encoder.encode(packet)) write(conn, foreignEngine, chunk, options);
}

/** Writes a packet encoded once for many connections. */
export function writeEncoded(
  conn: EngineConnection,
  foreignEngine: boolean,
  encoded: EncodedPacket,
  flags: BroadcastFlags,
): void {
  const volatile = flags.volatile === true;
  if (volatile && !canWriteVolatile(conn)) return;
  if (conn.sendPrepared === undefined) {
    // An engine without prepared messages: written one by one, as socket.io writes them.
    for (const message of encoded)
      write(conn, foreignEngine, message.data, message.compress ? COMPRESSED : UNCOMPRESSED);
    return;
  }
  const options = volatile ? VOLATILE : undefined;
  for (const message of encoded) conn.sendPrepared(message, options);
}

/** socket.io's `client.writeToEngine`: chunks already encoded, written as they are. */
export function writeToEngine(
  conn: EngineConnection,
  foreignEngine: boolean,
  encodedPackets: string | Uint8Array | ReadonlyArray<string | Uint8Array>,
  opts: WriteToEngineOptions | undefined,
): void {
  if (opts?.volatile === true && !canWriteVolatile(conn)) return;
  const options = opts?.compress === false ? UNCOMPRESSED : COMPRESSED;
  if (typeof encodedPackets === 'string' || encodedPackets instanceof Uint8Array) {
    write(conn, foreignEngine, encodedPackets, options);
    return;
  }
  for (const chunk of encodedPackets) write(conn, foreignEngine, chunk, options);
}

function write(conn: EngineConnection, foreignEngine: boolean, chunk: string | Uint8Array, options: SendOptions): void {
  conn.write(chunk, foreignEngine ? { ...options } : options);
}
