// Public API of @switchboard/engine: an Engine.IO v4 server with engine.io v6's names and semantics.
export { Server } from './server.js';
export type { ConnectionErrorEvent, ServerEvents } from './server-events.js';
export { attach, listen } from './listen.js';
export { Socket } from './socket.js';
export type { CloseReason, ReadyState, SendCallback, SessionConsumer, SocketEvents } from './socket-types.js';
export { PreparedMessage } from './prepared-message.js';
export { Transport } from './transports/transport.js';
export type { TransportReadyState } from './transports/transport.js';
export type { OutgoingPacket, SendOptions } from './context.js';
export { HandshakeRequest } from './http/handshake-request.js';
export type { EngineRequest, RequestQuery } from './http/handshake-request.js';
export type { Middleware } from './http/middleware.js';
export type { AllowedOrigins } from './http/origin.js';
export type { WsEngine, WsRawData, WsServer, WsServerOptions, WsSocket } from './transports/ws-engine.js';
export type {
  CorsCustomOrigin,
  CorsOptions,
  CorsOptionsDelegate,
  CorsRequest,
  CorsStaticOrigin,
} from './cors-options.js';
export { EngineError, EngineErrorCode, HandshakeErrorCode, HANDSHAKE_ERROR_MESSAGES } from './errors.js';
export type { EngineErrorCodeValue, HandshakeErrorCodeValue } from './errors.js';
export type {
  AllowRequestCallback,
  AttachOptions,
  CookieOptions,
  HttpCompressionOptions,
  PerMessageDeflateOptions,
  ServerOptions,
  TransportName,
} from './options.js';
export type { Clock } from './clock.js';
export { systemClock } from './clock.js';

/** The Engine.IO protocol revision this server speaks (v3 too, with `allowEIO3`). */
export const protocol = 4;
