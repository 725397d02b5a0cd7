// The WebSocket transport: one Engine.IO packet per frame over a `ws` socket; a flush is one socket write.
import type { Duplex } from 'node:stream';
import type { EnginePacket } from '@switchboard/protocol';
import { CodecError, CodecErrorCode, decodePacket, encodePacket } from '@switchboard/protocol';
import createDebug from 'debug';
import type { EngineContext, OutgoingPacket } from '../context.js';
import { EngineError, EngineErrorCode } from '../errors.js';
import { encodeFrame } from './frame.js';
import { Transport } from './transport.js';
import { canWriteFrames } from './ws-engine.js';
import type { WsRawData, WsSocket } from './ws-engine.js';

const debug = createDebug('switchboard:engine:websocket');

const V3_MESSAGE_TYPE = 4; // v3 binary frames lead with the packet type as a byte
const V3_MESSAGE_PREFIX = Buffer.from([V3_MESSAGE_TYPE]);

// Batches of small frames are copied into one buffer for a single write; batches that are large, or made of frames
// of a kilobyte or more, are written corked (one writev) since copying them costs more than the extra chunks.
const MAX_JOINED_BYTES = 64 * 1024;
const JOIN_BELOW_AVERAGE_BYTES = 1024;

const dataLessFrames = new Map<string, Buffer>();

const kTransport = Symbol('switchboard.engine.transport');

interface TaggedWebSocket extends WsSocket {
  [kTransport]?: WebSocketTransport;
}

interface TaggedDuplex extends Duplex {
  [kTransport]?: WebSocketTransport;
}

function onRawDrain(this: TaggedDuplex): void {
  this[kTransport]?.onDrain();
}

// Listeners are shared module functions that find their transport through the socket, not closures per connection.
function onWsMessage(this: TaggedWebSocket, data: WsRawData, isBinary: boolean): void {
  this[kTransport]?.receive(data, isBinary);
}

function onWsClose(this: TaggedWebSocket): void {
  this[kTransport]?.onSocketClose();
}

function onWsError(this: TaggedWebSocket, error: Error): void {
  this[kTransport]?.onSocketError(error);
}

function toBuffer(data: WsRawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/** The WebSocket transport of one session (or of an upgrade in progress). */
export class WebSocketTransport extends Transport {
  readonly #ws: TaggedWebSocket;
  readonly #rawSocket: Duplex;
  /** Whether our own frames may go straight to the TCP socket: only under `ws` itself, whose writes we know. */
  readonly #writesFrames: boolean;
  #awaitingDrain = false;

  constructor(context: EngineContext, ws: WsSocket, rawSocket: Duplex, protocol: 3 | 4, supportsBinary: boolean) {
    super(context, protocol, supportsBinary);
    this.#ws = ws;
    this.#rawSocket = rawSocket;
    this.#writesFrames = canWriteFrames(context.options.wsEngine, ws, rawSocket);
    const tagged = ws as TaggedWebSocket;
    tagged[kTransport] = this;
    ws.on('message', onWsMessage);
    ws.on('close', onWsClose);
    ws.on('error', onWsError);
  }

  get name(): 'websocket' {
    return 'websocket';
  }

  /** False while the socket's buffer is over its high-water mark (volatile packets are then dropped by callers). */
  get writable(): boolean {
    return this.readyState === 'open' && !this.#rawSocket.writableNeedDrain;
  }

  /** @internal */
  canFlush(): boolean {
    return this.readyState === 'open';
  }

  /** Bytes waiting in the socket (and, under another wsEngine, in its sender) that the kernel has not taken yet. */
  override get bufferedBytes(): number {
    if (this.#writesFrames) return this.#rawSocket.writableLength;
    return this.#ws.bufferedAmount ?? this.#rawSocket.writableLength;
  }

  /** @internal */
  override awaitDrain(): void {
    if (this.#awaitingDrain || this.readyState !== 'open') return;
    this.#awaitingDrain = true;
    // Only congested connections get here: one shared listener, found through the socket, as for messages.
    (this.#rawSocket as TaggedDuplex)[kTransport] = this;
    this.#rawSocket.once('drain', onRawDrain);
  }

  /** @internal */
  onDrain(): void {
    this.#awaitingDrain = false;
    if (this.readyState === 'open') this.owner?.onTransportDrain(this);
  }

  /** Whether permessage-deflate was negotiated; shared pre-built frames cannot be used then. */
  get #deflating(): boolean {
    return this.#ws.extensions !== '';
  }

  /** @internal */
  receive(data: WsRawData, isBinary: boolean): void {
    if (this.readyState === 'closed') return;
    let packet: EnginePacket | CodecError;
    if (this.protocol === 3 && isBinary) {
      // v3 binary frames start with the packet type as a byte; only messages may be binary.
      const bytes = toBuffer(data);
      packet =
        bytes[0] === V3_MESSAGE_TYPE
          ? { type: 'message', data: bytes.subarray(1) }
          : new CodecError(CodecErrorCode.INVALID_PACKET, 'v3 binary frame is not a message');
    } else {
      packet = decodePacket(isBinary ? toBuffer(data) : toBuffer(data).toString('utf8'));
    }
    if (packet instanceof CodecError) {
      debug('undecodable frame: %s', packet.message);
      this.reportError(new EngineError(EngineErrorCode.PARSE_ERROR, packet.message, { cause: packet }), true);
      return;
    }
    this.owner?.onTransportPacket(this, packet);
  }

  /** @internal */
  onSocketClose(): void {
    this.reportClose();
  }

  /** @internal */
  onSocketError(error: Error): void {
    debug('socket error: %s', error.message);
    this.reportError(new EngineError(EngineErrorCode.TRANSPORT_ERROR, error.message, { cause: error }));
  }

  /** @internal */
  send(packets: OutgoingPacket[], onSent?: () => void): void {
    if (this.#ws.readyState !== 1) return;
    if (!this.#writesFrames || this.#deflating) {
      this.#sendThroughWs(packets, onSent);
      return;
    }
    // Without permessage-deflate we frame ourselves: each frame is one buffer, and a small batch is joined into one
    // write. ws itself only writes control frames, synchronously, so nothing can interleave with ours.
    const shareFrames = this.protocol === 4 && this.supportsBinary;
    const raw = this.#rawSocket;
    if (packets.length === 1) {
      // The common case (one ack, one event): no array of frames.
      const packet = packets[0] as OutgoingPacket;
      raw.write(
        shareFrames && packet.prepared !== undefined ? packet.prepared.webSocketFrame : this.#frame(packet),
        onSent,
      );
      return;
    }
    const frames: Buffer[] = [];
    let total = 0;
    for (const packet of packets) {
      const frame = shareFrames && packet.prepared !== undefined ? packet.prepared.webSocketFrame : this.#frame(packet);
      frames.push(frame);
      total += frame.length;
    }
    if (total <= MAX_JOINED_BYTES && total < frames.length * JOIN_BELOW_AVERAGE_BYTES) {
      raw.write(Buffer.concat(frames, total), onSent);
    } else {
      raw.cork();
      const last = frames.length - 1;
      for (let i = 0; i <= last; i++) raw.write(frames[i], i === last ? onSent : undefined);
      raw.uncork();
    }
  }

  #sendThroughWs(packets: OutgoingPacket[], onSent: (() => void) | undefined): void {
    const compressAllowed = this.context.options.perMessageDeflate !== false;
    const last = packets.length - 1;
    for (let i = 0; i <= last; i++) {
      const packet = packets[i] as OutgoingPacket;
      const data = this.#encode(packet);
      const options = {
        binary: typeof data !== 'string',
        compress: compressAllowed && packet.options.compress !== false,
      };
      this.#ws.send(data, options, i === last ? onSent : undefined);
    }
  }

  #frame(packet: OutgoingPacket): Buffer {
    // Pings, noops and other data-less packets are the same bytes for everyone: framed once per process.
    if (packet.data === undefined) {
      let frame = dataLessFrames.get(packet.type);
      if (frame === undefined) {
        frame = encodeFrame(encodePacket(packet, true));
        dataLessFrames.set(packet.type, frame);
      }
      return frame;
    }
    return encodeFrame(this.#encode(packet));
  }

  #encode(packet: OutgoingPacket): string | Uint8Array {
    if (this.protocol === 3 && packet.data instanceof Uint8Array && this.supportsBinary) {
      return Buffer.concat([V3_MESSAGE_PREFIX, packet.data]);
    }
    return encodePacket(packet, this.supportsBinary);
  }

  protected doClose(onClosed: (() => void) | undefined): void {
    this.#ws.close();
    onClosed?.();
  }

  // A graceful close would wait (30 s in ws) for the silent peer's close frame, holding the TCP socket meanwhile.
  protected doTerminate(): void {
    this.#ws.terminate();
  }
}
