// The WebSocket transport: one Engine.IO packet per frame, text as text frames, binary as binary frames.
import { encodePacket, type EnginePacket } from '@switchboard/protocol';
import type { TransportOptions } from '../options.js';
import { Transport } from './transport.js';

/** The part of the WHATWG WebSocket API this transport uses (the browser's own, or `ws` in Node). */
export interface WebSocketLike {
  onopen: ((event: never) => void) | null;
  onclose: ((event: never) => void) | null;
  onerror: ((event: never) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  send(data: string | Uint8Array): void;
  close(): void;
  /** `ws` only: drops the connection without the closing handshake. */
  terminate?(): void;
}

/** Opens a WebSocket to `url`; the entry point decides which implementation and which options. */
export type WebSocketFactory = (url: string, opts: TransportOptions) => WebSocketLike;

export class WebSocketTransport extends Transport {
  // On the prototype, as in engine.io-client, so `transports: [WebSocket]` can be read without an instance.
  get name(): 'websocket' {
    return 'websocket';
  }
  #create: WebSocketFactory;
  #ws: WebSocketLike | undefined;

  constructor(opts: TransportOptions, create: WebSocketFactory) {
    super(opts);
    this.#create = create;
  }

  protected doAbort_(): void {
    const ws = this.#ws;
    if (!ws) return;
    this.#detach(ws);
    // Browsers have no terminate(): their close() is the quickest way out.
    if (ws.terminate) ws.terminate();
    else ws.close();
  }

  protected doOpen_(): void {
    let ws: WebSocketLike;
    try {
      ws = this.#create(this.uri_('ws', this.opts.timestampRequests === true), this.opts);
    } catch (err) {
      // A malformed URL or a blocked port throws synchronously; report it like any connection failure.
      return queueMicrotask(() => this.onError_('websocket error', err));
    }
    this.#ws = ws;
    ws.onopen = () => this.onOpen_();
    ws.onclose = (event) => this.onClose_({ description: 'websocket connection closed', context: event });
    ws.onmessage = (event) => this.onData_(event.data as string | Uint8Array | ArrayBuffer);
    ws.onerror = (event) => this.onError_('websocket error', event);
  }

  protected doClose_(): void {
    const ws = this.#ws;
    if (!ws) return;
    this.#detach(ws);
    ws.close();
  }

  protected write_(packets: EnginePacket[]): void {
    const ws = this.#ws;
    if (!ws) return;
    this.writable = false;
    const supportsBinary = !this.opts.forceBase64;
    for (const packet of packets) ws.send(encodePacket(packet, supportsBinary));
    // WebSocket send() only queues; the socket may write again once this batch is handed over.
    queueMicrotask(() => {
      if (this.readyState === 'closed') return;
      this.writable = true;
      this.emit('drain');
    });
  }

  #detach(ws: WebSocketLike): void {
    this.#ws = undefined;
    ws.onopen = ws.onclose = ws.onmessage = null;
    // Keep an error listener: `ws` in Node throws an unhandled 'error' when none is attached.
    ws.onerror = () => {};
  }
}
