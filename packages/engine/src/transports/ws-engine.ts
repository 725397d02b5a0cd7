// What the engine needs of a WebSocket server implementation (the `wsEngine` option) and of its sockets, declared
// structurally: `ws` fits it, so do its API-compatible forks, and the published types need no `@types/ws`.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';

/** permessage-deflate settings handed to `ws`. */
export interface PerMessageDeflateOptions {
  /** Messages smaller than this many bytes are not compressed. @default 1024 */
  threshold?: number;
  serverNoContextTakeover?: boolean;
  clientNoContextTakeover?: boolean;
  serverMaxWindowBits?: number;
  clientMaxWindowBits?: number;
  zlibDeflateOptions?: Record<string, unknown>;
  zlibInflateOptions?: Record<string, unknown>;
  concurrencyLimit?: number;
}

/** Message data as `ws` delivers it (a Buffer by default). */
export type WsRawData = Buffer | ArrayBuffer | Buffer[];

/** The part of a `ws` WebSocket that the engine's WebSocket transport uses. */
export interface WsSocket {
  /** 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  /** The negotiated extensions; empty when permessage-deflate is off. */
  readonly extensions: string;
  /** Bytes queued but not yet sent, as `ws` counts them; read for back-pressure when present. */
  readonly bufferedAmount?: number;
  on(event: 'message', listener: (this: WsSocket, data: WsRawData, isBinary: boolean) => void): unknown;
  on(event: 'close', listener: (this: WsSocket) => void): unknown;
  on(event: 'error', listener: (this: WsSocket, error: Error) => void): unknown;
  send(
    data: string | Uint8Array,
    options: { binary: boolean; compress: boolean },
    callback?: (error?: Error) => void,
  ): void;
  close(): void;
  terminate(): void;
}

/** The part of a `ws` WebSocketServer (in noServer mode) that the engine uses. */
export interface WsServer {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, callback: (ws: WsSocket) => void): void;
  on(event: 'headers', listener: (headers: string[], req: IncomingMessage) => void): unknown;
  close(): void;
}

/** The options the engine constructs its WebSocket server with. */
export interface WsServerOptions {
  noServer: true;
  clientTracking: false;
  perMessageDeflate: false | PerMessageDeflateOptions;
  maxPayload: number;
  /** Most fragments of one message `ws` buffers (ws >= 8.19; older versions ignore it). */
  maxBufferedChunks: number;
}

/** A `ws`-compatible server class used in noServer mode, such as `ws`'s own `WebSocketServer`. */
export type WsEngine = new (options: WsServerOptions) => WsServer;

const framingEngines = new WeakMap<WsEngine, boolean>();

/**
 * Whether the engine may frame messages itself and write them to `rawSocket`: only when the server class is `ws`'s
 * WebSocketServer (or a subclass) and the socket is `ws`'s own, writing to that very TCP socket. Wrappers and other
 * implementations (`eiows`, say, which takes the socket over) may buffer, transform or own the wire: they get `send`.
 */
export function canWriteFrames(engine: WsEngine, ws: WsSocket, rawSocket: Duplex): boolean {
  let known = framingEngines.get(engine);
  if (known === undefined) {
    known = engine === WebSocketServer || engine.prototype instanceof WebSocketServer;
    framingEngines.set(engine, known);
  }
  return known && ws instanceof WebSocket && (ws as unknown as { _socket?: unknown })._socket === rawSocket;
}
