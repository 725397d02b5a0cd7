// Socket.IO v5 streaming decoder: parses packet text, then waits for a binary packet's attachments.

import { DASH, DIGIT_NINE, DIGIT_ZERO, SLASH } from '../wire-constants.js';
import { Emitter } from '../emitter.js';
import { CodecError } from '../errors.js';
import { isBinaryLike, type BinaryLike } from '../engine/binary-like.js';
import { restoreBinary, type PlaceholderSlot } from './binary.js';
import {
  DEFAULT_MAX_ARGUMENTS,
  DEFAULT_MAX_ATTACHMENTS,
  DEFAULT_MAX_DEPTH,
  MAX_ACK_ID_DIGITS,
  MAX_ATTACHMENT_DIGITS,
} from '../limits.js';
import { ACK, BINARY_ACK, BINARY_EVENT, CONNECT, EVENT, type Packet, type PacketTypeValue } from './packet.js';
import { checkPayloadShape, mayHoldHostileKeys, mayNestDeeperThan, walkDecodedData } from './validate.js';

/** Limits of the decoder on untrusted input. */
export interface DecoderOptions {
  /**
   * Most attachments one binary packet may announce; more => CodecError TOO_MANY_ATTACHMENTS.
   * @default 10
   */
  maxAttachments?: number;
  /**
   * Most nesting levels of the JSON payload (the event array is level 1); more => CodecError TOO_DEEP.
   * @default 100
   */
  maxDepth?: number;
  /**
   * Most arguments one EVENT or ACK may carry (the event name not counted); more => CodecError TOO_MANY_ARGUMENTS.
   * Arguments are spread into listener calls, and tens of thousands of them overflow the stack.
   * @default 1000
   */
  maxArguments?: number;
}

/** Events of the Decoder. */
export type DecoderEvents = { decoded: (packet: Packet) => void; error: (err: CodecError) => void };

/** A binary packet whose attachments are still arriving. */
interface PendingPacket {
  packet: Packet;
  expected: number;
  slots: PlaceholderSlot[];
  attachments: Array<ArrayBuffer | ArrayBufferView>;
}

/** A parsed text packet: complete, or binary and waiting for its attachments. */
type ParsedText = { packet: Packet; pending?: PendingPacket };

/**
 * socket.io-parser compatible streaming decoder: add() each Engine.IO message; emits 'decoded'
 * with a complete Packet (binary placeholders put back) and 'error' with a CodecError. Never throws.
 * As in socket.io-parser, a BINARY_EVENT / BINARY_ACK is emitted with type EVENT / ACK once its attachments are in.
 * After an error the decoder resets; the caller decides to close the connection.
 * @example
 * const decoder = new Decoder({ maxAttachments: 10 });
 * decoder.on('decoded', (packet) => route(packet)).on('error', (err) => closeWith(err));
 * decoder.add('42["chat","hi"]');
 */
export class Decoder extends Emitter<DecoderEvents> {
  readonly #options: DecoderOptions | undefined;
  #pending: PendingPacket | undefined;
  #destroyed = false;

  constructor(options?: DecoderOptions) {
    super();
    this.#options = options;
  }

  /** Feeds one Engine.IO message: the packet text, or one attachment of the pending binary packet. */
  add(chunk: string | BinaryLike): void {
    if (this.#destroyed) return;
    let result: Packet | CodecError | undefined;
    // Only decoding is guarded: an exception thrown by a listener belongs to the listener's owner.
    try {
      result = typeof chunk === 'string' ? this.#addText(chunk) : this.#addAttachment(chunk);
    } catch (cause) {
      result = new CodecError('CODEC_ERR_INVALID_PACKET', 'packet could not be decoded', { cause });
    }
    if (result === undefined) return;
    if (result instanceof CodecError) {
      this.#pending = undefined;
      this.emit('error', result);
    } else {
      this.emit('decoded', result);
    }
  }

  /**
   * Drops a partially received binary packet and keeps the decoder usable (socket.io-parser's `destroy`
   * semantics); stray attachments of the dropped packet then report CODEC_ERR_INVALID_ATTACHMENTS.
   */
  reset(): void {
    this.#pending = undefined;
  }

  /**
   * Drops a partially received binary packet; destroy is final: the decoder ignores everything added afterwards
   * and never emits again (use `reset()` to keep using it).
   */
  destroy(): void {
    this.#pending = undefined;
    this.#destroyed = true;
  }

  #addText(text: string): Packet | CodecError | undefined {
    if (this.#pending !== undefined) {
      return new CodecError('CODEC_ERR_INVALID_ATTACHMENTS', 'text packet while attachments are expected');
    }
    const parsed = parseText(text, this.#options);
    if (parsed instanceof CodecError) return parsed;
    if (parsed.pending === undefined || parsed.pending.expected === 0) return parsed.packet;
    this.#pending = parsed.pending;
    return undefined;
  }

  #addAttachment(chunk: unknown): Packet | CodecError | undefined {
    if (!isBinaryLike(chunk)) {
      return new CodecError('CODEC_ERR_INVALID_PACKET', `not a string or binary: ${typeof chunk}`);
    }
    const pending = this.#pending;
    if (pending === undefined) {
      return new CodecError('CODEC_ERR_INVALID_ATTACHMENTS', 'binary message with no binary packet pending');
    }
    // Handed out as received, as socket.io-parser does: an ArrayBuffer in browsers (socket.io-client's default
    // binaryType), a Buffer in Node.
    pending.attachments.push(chunk);
    if (pending.attachments.length < pending.expected) return undefined;
    this.#pending = undefined;
    restoreBinary(pending.slots, pending.attachments);
    return pending.packet;
  }
}

/**
 * Decodes one text packet that announces no attachments, without a Decoder: nothing carries over from one such packet
 * to the next, so a server can decode the plain packets of all its connections this way. Returns the packet or the
 * CodecError; a packet announcing attachments is refused (it needs a Decoder of its own and `add`).
 */
export function decodePlainText(text: string, options?: DecoderOptions): Packet | CodecError {
  let parsed: ParsedText | CodecError;
  try {
    parsed = parseText(text, options);
  } catch (cause) {
    return new CodecError('CODEC_ERR_INVALID_PACKET', 'packet could not be decoded', { cause });
  }
  if (parsed instanceof CodecError) return parsed;
  if (parsed.pending === undefined || parsed.pending.expected === 0) return parsed.packet;
  return new CodecError(
    'CODEC_ERR_INVALID_ATTACHMENTS',
    'a packet with attachments needs a Decoder, not decodePlainText',
  );
}

/**
 * Like socket.io-parser, a complete binary packet is handed on as the EVENT or ACK it carries, with its binaries
 * back in `data`: consumers route EVENT and ACK only and never see `attachments`.
 */
function deliveredType(type: PacketTypeValue): PacketTypeValue {
  if (type === BINARY_EVENT) return EVENT;
  if (type === BINARY_ACK) return ACK;
  return type;
}

function isDigit(code: number): boolean {
  return code >= DIGIT_ZERO && code <= DIGIT_NINE;
}

function takesAckId(type: PacketTypeValue): boolean {
  return type === EVENT || type === ACK || type === BINARY_EVENT || type === BINARY_ACK;
}

/** `<type>[<attachments>-][<nsp>,][<ackId>][<JSON>]` */
function parseText(text: string, options: DecoderOptions | undefined): ParsedText | CodecError {
  const maxAttachments = options?.maxAttachments ?? DEFAULT_MAX_ATTACHMENTS;
  const maxDepth = options?.maxDepth ?? DEFAULT_MAX_DEPTH;
  const type = text.charCodeAt(0) - DIGIT_ZERO;
  if (!(type >= CONNECT && type <= BINARY_ACK)) {
    return new CodecError('CODEC_ERR_INVALID_PACKET', text.length === 0 ? 'empty packet' : 'unknown packet type');
  }
  const packetType = type as PacketTypeValue;
  const isBinaryPacket = packetType === BINARY_EVENT || packetType === BINARY_ACK;
  let at = 1;

  let attachments: number | undefined;
  if (isBinaryPacket) {
    const start = at;
    while (isDigit(text.charCodeAt(at))) at++;
    if (at === start || text.charCodeAt(at) !== DASH) {
      return new CodecError('CODEC_ERR_INVALID_ATTACHMENTS', 'missing "<count>-" attachment count');
    }
    // The digit count is checked first so hostile input is neither converted nor echoed whole.
    if (at - start > MAX_ATTACHMENT_DIGITS) {
      return new CodecError('CODEC_ERR_TOO_MANY_ATTACHMENTS', 'absurd attachment count');
    }
    attachments = Number(text.slice(start, at));
    if (attachments > maxAttachments) {
      return new CodecError(
        'CODEC_ERR_TOO_MANY_ATTACHMENTS',
        `${attachments} attachments, more than ${maxAttachments}`,
      );
    }
    at++;
  }

  let nsp = '/';
  if (text.charCodeAt(at) === SLASH) {
    const comma = text.indexOf(',', at);
    const end = comma === -1 ? text.length : comma;
    nsp = text.slice(at, end);
    for (let i = 0; i < nsp.length; i++) {
      const code = nsp.charCodeAt(i);
      if (code < 0x20 || code === 0x7f) {
        return new CodecError('CODEC_ERR_INVALID_NAMESPACE', 'namespace has a control character');
      }
    }
    at = comma === -1 ? end : end + 1;
  }

  let id: number | undefined;
  const idStart = at;
  while (isDigit(text.charCodeAt(at))) at++;
  if (at > idStart) {
    const digits = at - idStart;
    id = digits > MAX_ACK_ID_DIGITS ? Infinity : Number(text.slice(idStart, at));
    if (!Number.isSafeInteger(id)) return new CodecError('CODEC_ERR_INVALID_ACK_ID', 'ack id not a safe integer');
    if (!takesAckId(packetType)) {
      return new CodecError('CODEC_ERR_INVALID_ACK_ID', `ack id on packet type ${packetType}`);
    }
  } else if (packetType === ACK || packetType === BINARY_ACK) {
    return new CodecError('CODEC_ERR_INVALID_ACK_ID', 'ACK without ack id');
  }

  let data: unknown;
  const json = at < text.length ? text.slice(at) : '';
  if (json.length > 0) {
    try {
      data = JSON.parse(json);
    } catch (cause) {
      return new CodecError('CODEC_ERR_INVALID_JSON', 'invalid JSON', { cause });
    }
  }
  const shapeError = checkPayloadShape(packetType, data, options?.maxArguments ?? DEFAULT_MAX_ARGUMENTS);
  if (shapeError !== undefined) return shapeError;
  // The walk is needed for placeholders, for keys that could pollute a prototype, and for deep nesting; the text
  // tells cheaply when none can be there, which saves walking every object of nearly every packet. Packets with
  // attachments are always walked, so only they get the array of placeholder slots.
  let slots: PlaceholderSlot[] | undefined;
  const checkKeys = mayHoldHostileKeys(json);
  if (attachments !== undefined || checkKeys || mayNestDeeperThan(json, maxDepth)) {
    slots = [];
    const walkError = walkDecodedData(data, { maxDepth, checkKeys, attachments }, slots);
    if (walkError !== undefined) return walkError;
  }

  const packet: Packet = { type: deliveredType(packetType), nsp };
  if (data !== undefined) packet.data = data;
  if (id !== undefined) packet.id = id;
  if (attachments === undefined) return { packet };
  return { packet, pending: { packet, expected: attachments, slots: slots ?? [], attachments: [] } };
}
