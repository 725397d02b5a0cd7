// A session holding more than maxBufferedBytes for a client that reads too slowly. Exists only while the session is
// over the bound: past twice the bound, queued volatile packets are dropped and then the session closes; over the bound
// for bufferFullTimeout, it closes too, with `transport buffer full` (the peer is not reading: no goodbye is owed).
import type { OutgoingPacket, SendOptions } from './context.js';
import { EngineError, EngineErrorCode } from './errors.js';
import type { ResolvedOptions } from './options.js';

// Every packet carries its send options; shared, frozen records spare an object per packet.
const COMPRESSED: SendOptions = Object.freeze({ compress: true });
const UNCOMPRESSED: SendOptions = Object.freeze({ compress: false });
const VOLATILE: SendOptions = Object.freeze({ compress: true, volatile: true });
const VOLATILE_UNCOMPRESSED: SendOptions = Object.freeze({ compress: false, volatile: true });

/** The shared options record for what a caller passed to `send`. */
export function packetOptions(options: SendOptions | undefined): SendOptions {
  if (options?.volatile === true) return options.compress === false ? VOLATILE_UNCOMPRESSED : VOLATILE;
  return options?.compress === false ? UNCOMPRESSED : COMPRESSED;
}

/** What a queued packet weighs: text in UTF-16 units (close to its UTF-8 size, without encoding it), bytes as is. */
export function packetBytes(packet: OutgoingPacket): number {
  const data = packet.data;
  if (data === undefined) return 1;
  return typeof data === 'string' ? data.length + 1 : data.byteLength + 1;
}

/** What the overflow needs of its session. */
export interface OverflowingSession {
  readonly readyState: string;
  readonly bufferedBytes: number;
  /** Removes volatile packets from the write buffer. */
  dropQueuedVolatile(): void;
  onClose(reason: 'transport buffer full', description: Error): void;
}

/**
 * Starts, checks or ends the overflow of `session` after what it buffers changed; returns the overflow to keep
 * (undefined once the session is back under the bound, or closed).
 */
export function trackOverflow(
  session: OverflowingSession,
  overflow: BufferOverflow | undefined,
  options: ResolvedOptions,
): BufferOverflow | undefined {
  if (session.readyState !== 'closed' && session.bufferedBytes > options.maxBufferedBytes) {
    overflow ??= new BufferOverflow(session, options);
    overflow.check();
    if (session.readyState !== 'closed') return overflow;
  }
  overflow?.end();
  return undefined;
}

/** The over-the-bound state of one session. */
export class BufferOverflow {
  readonly #session: OverflowingSession;
  readonly #options: ResolvedOptions;
  readonly #timer: ReturnType<typeof setTimeout>;

  constructor(session: OverflowingSession, options: ResolvedOptions) {
    this.#session = session;
    this.#options = options;
    this.#timer = setTimeout(() => this.#onTimeout(), options.bufferFullTimeout).unref();
  }

  /** More was queued while over the bound: past the hard cap, volatile packets go first, then the session. */
  check(): void {
    const hardCap = 2 * this.#options.maxBufferedBytes;
    if (this.#session.bufferedBytes <= hardCap) return;
    this.#session.dropQueuedVolatile();
    if (this.#session.bufferedBytes > hardCap) this.#close();
  }

  /** The session is back under the bound, or closed. */
  end(): void {
    clearTimeout(this.#timer);
  }

  #onTimeout(): void {
    if (this.#session.readyState !== 'closed' && this.#session.bufferedBytes > this.#options.maxBufferedBytes) {
      this.#close();
    }
  }

  #close(): void {
    const { maxBufferedBytes, bufferFullTimeout } = this.#options;
    const error = new EngineError(
      EngineErrorCode.BUFFER_FULL,
      `the client read too slowly: over ${maxBufferedBytes} bytes stayed buffered for ${bufferFullTimeout} ms, ` +
        `or over ${2 * maxBufferedBytes} piled up; raise maxBufferedBytes if it must hold more`,
    );
    this.#session.onClose('transport buffer full', error);
  }
}
