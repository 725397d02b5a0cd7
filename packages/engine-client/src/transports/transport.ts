// The transport base: one connection path to the server (polling or WebSocket) with its own readyState.
import { CodecError, Emitter, decodePacket, type EnginePacket } from '@switchboard/protocol';
import { TransportError } from '../errors.js';
import type { TransportName, TransportOptions } from '../options.js';
import { encodeQuery } from '../uri.js';

/** 'pausing' and 'paused' only happen to polling, while the socket upgrades away from it. */
export type TransportState = 'opening' | 'open' | 'pausing' | 'paused' | 'closed';

/** Why a transport closed, passed on as the socket's close description. */
export interface CloseDetails {
  description: string;
  context?: unknown;
}

// A type alias, not an interface: the emitter needs an implicit index signature.
export type TransportEvents = {
  open: () => void;
  packet: (packet: EnginePacket) => void;
  /** Everything handed to send() has been written; the transport is writable again. */
  drain: () => void;
  /** A network failure (TransportError) or undecodable data from the server (CodecError). */
  error: (err: TransportError | CodecError) => void;
  close: (details?: CloseDetails) => void;
  /** Polling only: the answer of a GET was handled. */
  pollComplete: () => void;
};

/** Creates a transport for a socket; each entry point picks the implementations it ships. */
export type TransportFactory = (opts: TransportOptions) => Transport;

let timestampCounter = 0;

/**
 * A connection path to the server; subclasses implement doOpen_, doClose_, doAbort_ and write_.
 * Members ending in a single '_' are internal to this package: the browser bundle renames them (esbuild
 * `mangleProps: /[^_]_$/`), which keeps them out of the byte count; `#private` cannot cross subclasses.
 */
export abstract class Transport extends Emitter<TransportEvents> {
  abstract readonly name: TransportName;
  readyState: TransportState = 'closed';
  /** False while a write is in flight: the socket keeps buffering until 'drain'. */
  writable = false;
  declare readonly opts: TransportOptions;
  /** The query of every request: the user's, plus EIO, transport and (after the handshake) sid. */
  declare readonly query: Record<string, unknown>;

  constructor(opts: TransportOptions) {
    super();
    this.opts = opts;
    this.query = opts.query;
  }

  open(): this {
    this.readyState = 'opening';
    this.doOpen_();
    return this;
  }

  close(): this {
    if (this.readyState === 'opening' || this.readyState === 'open') {
      this.doClose_();
      this.onClose_();
    }
    return this;
  }

  /** Writes packets; the socket only calls this while `writable`. */
  send(packets: EnginePacket[]): void {
    if (this.readyState === 'open') this.write_(packets);
  }

  /** Drops the connection at once, without telling the server (presumed gone) and without events. */
  abort(): void {
    this.readyState = 'closed';
    this.doAbort_();
  }

  protected abstract doOpen_(): void;
  protected abstract doClose_(): void;
  protected abstract doAbort_(): void;
  protected abstract write_(packets: EnginePacket[]): void;

  protected onOpen_(): void {
    this.readyState = 'open';
    this.writable = true;
    this.emit('open');
  }

  protected onPacket_(packet: EnginePacket | CodecError): void {
    if (packet instanceof CodecError) this.emit('error', packet);
    else this.emit('packet', packet);
  }

  /** Decodes one WebSocket frame. */
  protected onData_(data: string | Uint8Array | ArrayBuffer): void {
    this.onPacket_(decodePacket(data));
  }

  protected onError_(message: string, description?: unknown, context?: unknown): void {
    this.emit('error', new TransportError('EIO_ERR_TRANSPORT', message, description, context));
  }

  protected onClose_(details?: CloseDetails): void {
    this.readyState = 'closed';
    this.emit('close', details);
  }

  /** The request URL: scheme, host (IPv6 in brackets), port unless the default, path and query. */
  protected uri_(scheme: 'http' | 'ws', timestamp: boolean): string {
    const { hostname, port, secure, path } = this.opts;
    const query = timestamp
      ? {
          ...this.query,
          [this.opts.timestampParam ?? 't']: Date.now().toString(36) + (timestampCounter++).toString(36),
        }
      : this.query;
    const host = hostname.includes(':') ? '[' + hostname + ']' : hostname;
    const isDefaultPort = port === (secure ? '443' : '80');
    const search = encodeQuery(query);
    return `${scheme}${secure ? 's' : ''}://${host}${port && !isDefaultPort ? ':' + port : ''}${path}${search ? '?' + search : ''}`;
  }
}
