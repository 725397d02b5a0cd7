// The types every entry point exports, listed once.
export type { ParsedUri } from './uri.js';
export type {
  SocketOptions,
  TransportName,
  TransportClass,
  TlsValue,
  PerTransportOptions,
  BinaryType,
} from './options.js';
export type {
  CloseReason,
  HandshakeData,
  MessageData,
  SendData,
  SendOptions,
  SocketEvents,
  SocketState,
} from './socket.js';
export type { CloseDetails, Transport, TransportState } from './transports/transport.js';
export type { EngineClientErrorCodeValue } from './errors.js';
