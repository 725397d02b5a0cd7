// The contract between a session and its transports: transports report to an owner (no per-connection listeners).
import type { EnginePacket } from '@switchboard/protocol';
import type { EngineContext, OutgoingPacket } from '../context.js';
import type { EngineError } from '../errors.js';
import type { TransportName } from '../options.js';

/** Who a transport reports to; the session, which tells its current transport from an upgrading one. Its members are internal. */
export interface TransportOwner {
  /** @internal */
  onTransportPacket(transport: Transport, packet: EnginePacket): void;
  /** @internal The transport failed; `parse` is true when the peer's bytes did not decode. */
  onTransportError(transport: Transport, error: EngineError, parse: boolean): void;
  /** @internal */
  onTransportClose(transport: Transport): void;
  /** @internal The transport can take writes again (a polling GET arrived). */
  onTransportReady(transport: Transport): void;
  /** @internal The socket sent everything it held, after `awaitDrain()`. */
  onTransportDrain(transport: Transport): void;
}

/** Transport states: `open` until asked to close, `closing` while it says goodbye, then `closed`. */
export type TransportReadyState = 'open' | 'closing' | 'closed';

/** Base of the polling and WebSocket transports. */
export abstract class Transport {
  abstract readonly name: TransportName;
  readonly protocol: 3 | 4;
  /** False when the client asked for base64 (`b64=1`): binary travels as `b<base64>`. */
  readonly supportsBinary: boolean;
  readyState: TransportReadyState = 'open';
  /** Set once the session has moved to another transport: close without the goodbye packet. */
  discarded = false;
  /** @internal */
  owner: TransportOwner | undefined;
  /** @internal */
  readonly context: EngineContext;

  constructor(context: EngineContext, protocol: 3 | 4, supportsBinary: boolean) {
    this.context = context;
    this.protocol = protocol;
    this.supportsBinary = supportsBinary;
  }

  /** Whether a write would go out now (polling: a GET is pending; WebSocket: no back-pressure). */
  abstract get writable(): boolean;

  /** @internal Whether the session should hand its write buffer over now. */
  abstract canFlush(): boolean;

  /** Bytes written to this transport that its socket has not sent yet (0 for polling: a response is sent whole). */
  get bufferedBytes(): number {
    return 0;
  }

  /** @internal Asks for one `onTransportDrain` once the socket has sent what it holds. */
  awaitDrain(): void {}

  /** @internal Writes `packets`; `onSent` runs once they reached the socket. */
  abstract send(packets: OutgoingPacket[], onSent?: () => void): void;

  /** Marks the transport as replaced by an upgrade. */
  discard(): void {
    this.discarded = true;
  }

  /** Closes the transport; `onClosed` runs once the goodbye (if any) is written. */
  close(onClosed?: () => void): void {
    if (this.readyState !== 'open') return;
    this.readyState = 'closing';
    this.doClose(onClosed);
  }

  protected abstract doClose(onClosed: (() => void) | undefined): void;

  /** Drops the connection at once, without a goodbye: for a peer that stopped answering (ping timeout). */
  terminate(): void {
    if (this.readyState === 'closed') return;
    this.readyState = 'closed';
    this.doTerminate();
  }

  protected abstract doTerminate(): void;

  protected reportClose(): void {
    if (this.readyState === 'closed') return;
    this.readyState = 'closed';
    this.owner?.onTransportClose(this);
  }

  protected reportError(error: EngineError, parse = false): void {
    this.owner?.onTransportError(this, error, parse);
  }
}
