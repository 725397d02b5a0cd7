// HTTP long-polling: a GET always pending for server packets, one POST at a time for ours.
import { CodecError, decodePayload, encodePayload, type EnginePacket } from '@switchboard/protocol';
import type { TransportOptions } from '../options.js';
import { Transport } from './transport.js';

/** One polling HTTP request, performed by the entry point's requester (Node http or fetch). */
export interface PollRequest {
  method: 'GET' | 'POST';
  url: string;
  /** A v4 payload (always text: binary travels as 'b' + base64); undefined for a GET. */
  body: string | undefined;
  opts: TransportOptions;
}

/**
 * Performs a request and calls `done` once with the status (0 on a network failure), the body text and the
 * underlying error; returns a function that aborts the request (after which `done` is not called).
 */
export type Requester = (
  request: PollRequest,
  done: (status: number, body: string, error?: unknown) => void,
) => () => void;

/** The polling transport; the HTTP client comes from the entry point. */
export class Polling extends Transport {
  // On the prototype, as in engine.io-client, so `transports: [Polling]` can be read without an instance.
  get name(): 'polling' {
    return 'polling';
  }
  #request: Requester;
  /** True while a GET is in flight. */
  #polling = false;
  #aborts = new Set<() => void>();

  constructor(opts: TransportOptions, request: Requester) {
    super(opts);
    this.#request = request;
  }

  /** Pausing waits for the in-flight GET (the server answers it with a noop) and POST, so nothing is lost. */
  pause(onPause: () => void): void {
    this.readyState = 'pausing';
    // One count for each request to wait for, plus one released right below once both are registered.
    let pending = 1;
    const done = (): void => {
      if (--pending > 0) return;
      this.readyState = 'paused';
      onPause();
    };
    if (this.#polling) {
      pending++;
      this.once('pollComplete', done);
    }
    if (!this.writable) {
      pending++;
      this.once('drain', done);
    }
    done();
  }

  protected doAbort_(): void {
    for (const abort of this.#aborts) abort();
    this.#aborts.clear();
  }

  protected doOpen_(): void {
    this.#poll();
  }

  protected doClose_(): void {
    if (this.readyState !== 'open') return this.doAbort_();
    // The close packet makes the server answer our pending GET, so every request ends on its own.
    this.write_([{ type: 'close' }]);
  }

  protected write_(packets: EnginePacket[]): void {
    this.writable = false;
    this.#send('POST', encodePayload(packets), () => {
      this.writable = true;
      this.emit('drain');
    });
  }

  #poll(): void {
    this.#polling = true;
    this.#send('GET', undefined, (body) => this.#onPayload(body));
  }

  #onPayload(body: string): void {
    const packets = decodePayload(body);
    if (packets instanceof CodecError) return this.onPacket_(packets);
    for (const packet of packets) {
      // The first GET answers the handshake: its open packet opens the transport.
      if (this.readyState === 'opening' && packet.type === 'open') this.onOpen_();
      if (packet.type === 'close') return this.onClose_({ description: 'transport closed by the server' });
      this.onPacket_(packet);
    }
    if (this.readyState === 'closed') return;
    this.#polling = false;
    this.emit('pollComplete');
    if (this.readyState === 'open') this.#poll();
  }

  #send(method: 'GET' | 'POST', body: string | undefined, onBody: (body: string) => void): void {
    const url = this.uri_('http', this.opts.timestampRequests !== false);
    const abort = this.#request({ method, url, body, opts: this.opts }, (status, text, error) => {
      this.#aborts.delete(abort);
      if (status === 200) onBody(text);
      else this.onError_('xhr poll error', error ?? status, text);
    });
    this.#aborts.add(abort);
  }
}
