// The transports an engine can serve, by name: how each one arrives, which ones it may upgrade to, and how to create
// and serve it. The server consults this table instead of naming transports itself.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { EngineContext } from '../context.js';
import { PollingTransport } from './polling.js';
import type { Transport } from './transport.js';
import { WebSocketTransport } from './websocket.js';
import type { WsSocket } from './ws-engine.js';

/** How a transport's connection reaches the server: plain HTTP requests, or an HTTP upgrade to a WebSocket. */
export type TransportArrival = 'request' | 'websocket';

/** What a new transport is built from: the session it serves and, for WebSocket arrivals, the socket. */
export interface TransportInit {
  readonly sessionId: string;
  readonly protocol: 3 | 4;
  /** False when the client asked for base64 (`b64=1`). */
  readonly supportsBinary: boolean;
  /** Set for transports that arrive by `websocket`. */
  readonly ws?: WsSocket | undefined;
  /** The TCP socket under `ws`. */
  readonly rawSocket?: Duplex | undefined;
}

interface DefinitionBase {
  readonly name: string;
  /** Transports a session on this one may upgrade to, in preference order. */
  readonly upgradesTo: readonly string[];
  /** Builds the transport of a handshake, or of an upgrade in progress. */
  create(context: EngineContext, init: TransportInit): Transport;
}

/** A transport whose connection is a series of HTTP requests (polling). */
export interface RequestTransportDefinition extends DefinitionBase {
  readonly arrival: 'request';
  /** Hands a request of the session (the handshake included) to a transport this definition created. */
  serve(transport: Transport, req: IncomingMessage, res: ServerResponse): void;
}

/** A transport that arrives as an HTTP upgrade, built once `ws` accepted the WebSocket. */
export interface WebSocketTransportDefinition extends DefinitionBase {
  readonly arrival: 'websocket';
}

/** One entry of the registry. */
export type TransportDefinition = RequestTransportDefinition | WebSocketTransportDefinition;

/** Transport definitions by name. */
export class TransportRegistry {
  readonly #definitions = new Map<string, TransportDefinition>();

  /** Adds (or replaces) a definition. */
  register(definition: TransportDefinition): this {
    this.#definitions.set(definition.name, definition);
    return this;
  }

  get(name: string): TransportDefinition | undefined {
    return this.#definitions.get(name);
  }

  has(name: string): boolean {
    return this.#definitions.has(name);
  }

  /** Registered names, in registration order. */
  names(): string[] {
    return [...this.#definitions.keys()];
  }

  /** How transport `name` arrives; undefined for an unknown name. */
  arrivalOf(name: string | undefined): TransportArrival | undefined {
    return name === undefined ? undefined : this.#definitions.get(name)?.arrival;
  }

  /** Transports a session on `name` may upgrade to (a new array, empty for an unknown name). */
  upgradesFrom(name: string): string[] {
    return [...(this.#definitions.get(name)?.upgradesTo ?? [])];
  }
}

/** HTTP long-polling: created at a polling handshake; every GET and POST of the session is served by it. */
export const pollingDefinition: RequestTransportDefinition = {
  name: 'polling',
  arrival: 'request',
  upgradesTo: ['websocket'],
  create(context, { sessionId, protocol, supportsBinary }) {
    const transport = new PollingTransport(context, protocol, supportsBinary);
    transport.sessionId = sessionId;
    return transport;
  },
  serve(transport, req, res) {
    // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- only sessions this definition's create() made reach serve()
    (transport as PollingTransport).handleRequest(req, res);
  },
};

/** WebSocket: created once `ws` finished the handshake of an upgrade (a new session or a polling session's upgrade). */
export const webSocketDefinition: WebSocketTransportDefinition = {
  name: 'websocket',
  arrival: 'websocket',
  upgradesTo: [],
  create(context, { protocol, supportsBinary, ws, rawSocket }) {
    if (ws === undefined || rawSocket === undefined) throw new TypeError('a WebSocket transport needs its sockets');
    return new WebSocketTransport(context, ws, rawSocket, protocol, supportsBinary);
  },
};

/** A registry of the built-in transports, polling and WebSocket (the options' `BUILT_IN_TRANSPORTS`). */
export function builtInTransports(): TransportRegistry {
  return new TransportRegistry().register(pollingDefinition).register(webSocketDefinition);
}
