// The per-connection and per-socket limits of the server: what one client may make it hold, with safe defaults.
// Each is an option of `new Server()`; docs/errors.md lists what exceeding it costs, and a test keeps both in step.
import { DECODER_DEFAULTS, type DecoderOptions } from '@switchboard/protocol';
import { ServerError, ServerErrorCode } from './errors.js';

/** The limit options of `new Server()` (also part of `ServerOptions`). */
export interface LimitOptions {
  /** Most binary attachments one packet may announce; more closes the connection. @default 10 */
  maxAttachments: number;
  /** Most nesting levels of a packet's data; deeper closes the connection. @default 100 */
  maxDepth: number;
  /** Most arguments one event or acknowledgement may carry; more closes the connection. @default 1000 */
  maxArguments: number;
  /**
   * Most bytes of attachments one binary packet may hold while its attachments arrive; more closes the connection.
   * @default maxHttpBufferSize (1e6)
   */
  maxAttachmentBytes: number;
  /** Milliseconds a binary packet may wait for its attachments before the connection is closed. @default 30000 */
  attachmentTimeout: number;
  /**
   * Most namespaces one connection may be in (or joining) at once, and may create as dynamic namespaces over its
   * life; a CONNECT beyond is refused with `connect_error` "Too many namespaces". @default 50
   */
  maxNamespacesPerConnection: number;
  /** Most rooms one socket may be in; `socket.join` beyond throws SIO_ERR_TOO_MANY_ROOMS. @default 10000 */
  maxRoomsPerSocket: number;
  /**
   * Most acknowledgements the server may await from one socket; an emit with an ack beyond throws
   * SIO_ERR_TOO_MANY_PENDING_ACKS. @default 10000
   */
  maxPendingAcks: number;
}

/** Refused CONNECTs after which a connection is closed: a client that keeps asking for what it cannot have. */
export const MAX_CONNECT_REFUSALS = 20;
/** Characters of a refused namespace name echoed back in its CONNECT_ERROR. */
export const MAX_ECHOED_NAMESPACE_LENGTH = 256;

/** The limits with defaults applied. */
export interface ServerLimits {
  readonly decoder: DecoderOptions;
  readonly maxAttachmentBytes: number;
  readonly attachmentTimeoutMs: number;
  readonly maxNamespacesPerConnection: number;
  readonly maxRoomsPerSocket: number;
  readonly maxPendingAcks: number;
}

/**
 * The default of every limit option, the one place they are written; `maxAttachmentBytes` defaults to the engine's
 * `maxHttpBufferSize` (1e6 unless set). docs/errors.md lists each (limits.test.ts keeps both in step).
 */
export const LIMIT_DEFAULTS: Readonly<Omit<LimitOptions, 'maxAttachmentBytes'>> = {
  ...DECODER_DEFAULTS,
  attachmentTimeout: 30_000,
  maxNamespacesPerConnection: 50,
  maxRoomsPerSocket: 10_000,
  maxPendingAcks: 10_000,
};

/** Reads and checks the limit options; `maxHttpBufferSize` is the engine's, the default of `maxAttachmentBytes`. */
export function resolveLimits(opts: Partial<LimitOptions> & { maxHttpBufferSize?: number | undefined }): ServerLimits {
  const value = (name: keyof typeof LIMIT_DEFAULTS): number => checkCount(name, opts[name] ?? LIMIT_DEFAULTS[name]);
  return {
    decoder: {
      maxAttachments: value('maxAttachments'),
      maxDepth: value('maxDepth'),
      maxArguments: value('maxArguments'),
    },
    maxAttachmentBytes: checkCount('maxAttachmentBytes', opts.maxAttachmentBytes ?? opts.maxHttpBufferSize ?? 1e6),
    attachmentTimeoutMs: value('attachmentTimeout'),
    maxNamespacesPerConnection: value('maxNamespacesPerConnection'),
    maxRoomsPerSocket: value('maxRoomsPerSocket'),
    maxPendingAcks: value('maxPendingAcks'),
  };
}

/** A non-negative integer, or Infinity for "no limit". */
function checkCount(name: string, value: unknown): number {
  if (typeof value === 'number' && (value === Infinity || (Number.isInteger(value) && value >= 0))) return value;
  throw new ServerError(
    ServerErrorCode.INVALID_OPTION,
    `option "${name}" must be a non-negative integer or Infinity, got ${String(value)}`,
  );
}
