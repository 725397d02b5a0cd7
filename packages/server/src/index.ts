// Public API of @switchboard/server: the Socket.IO v5 server, API-compatible with socket.io v4.
export { Server, type ServerOptions, type AttachableServer } from './server.js';
export { Namespace, type NamespaceMiddleware, type NamespaceReservedEventsMap } from './namespace.js';
export { ParentNamespace, type ParentNspNameMatchFn } from './parent-namespace.js';
export { Socket } from './socket.js';
export { Client } from './client.js';
export { BroadcastOperator } from './broadcast-operator.js';
export { RemoteSocket } from './remote-socket.js';
export { InMemoryAdapter, InMemoryAdapter as Adapter } from './adapter/in-memory-adapter.js';
export { SessionAwareAdapter } from './adapter/session-aware-adapter.js';
export { HeldBroadcast } from './adapter/held-broadcast.js';
export type {
  Adapter as AdapterInterface,
  AdapterConstructor,
  AdapterFactory,
  AdapterOption,
  AdapterEvents,
  AdapterNamespace,
  AdapterSocket,
  BroadcastFlags,
  BroadcastOptions,
  EncodedPacket,
  PrivateSessionId,
  RecoveryOptions,
  Room,
  Session,
  SessionToPersist,
  SocketDetails,
  SocketId,
} from './adapter/types.js';
export type { ParserDecoder, ParserEncoder, SocketParser } from './parser.js';
export type { LimitOptions } from './limits.js';
export type { RateLimitOptions } from './rate-limit.js';
export { ServerError, ServerErrorCode, type ServerErrorCodeValue, type ExtendedError } from './errors.js';
/** Event names a user may not emit, nor receive from a client (the protocol's list, shared with the client). */
export { RESERVED_EVENTS } from '@switchboard/protocol';
export type { DisconnectReason, Event, Handshake, PacketMiddleware, SocketReservedEventsMap } from './socket-types.js';
export type { EngineConnection, EngineLike, EngineRequest } from './engine-connection.js';
/** The Socket.IO packet adapters receive (re-exported so adapter authors need no other import). */
export type { Packet } from '@switchboard/protocol';
export type {
  AllButLast,
  DecorateAcknowledgements,
  DecorateAcknowledgementsWithMultipleResponses,
  DecorateAcknowledgementsWithTimeoutAndMultipleResponses,
  DefaultEventsMap,
  DefaultSocketData,
  EventNames,
  EventNamesWithAck,
  EventNamesWithError,
  EventNamesWithoutAck,
  EventParams,
  EventsMap,
  FirstNonErrorArg,
  Last,
  RemoveAcknowledgements,
  TypedEventBroadcaster,
} from './typed-events.js';

import * as api from './index.js';
import { Server as ServerClass, type AttachableServer as Attachable, type ServerOptions as Options } from './server.js';

/** `require('@switchboard/server')(port, opts)`: the callable socket.io's CommonJS entry is. */
function createServer(opts?: Partial<Options>): ServerClass;
function createServer(srv?: Attachable | number | string, opts?: Partial<Options>): ServerClass;
function createServer(srv?: Attachable | number | string | Partial<Options>, opts?: Partial<Options>): ServerClass {
  return Reflect.construct(ServerClass, [srv, opts]) as ServerClass;
}
// require() of this module (Node's require(esm), or the CommonJS build) returns the callable with every export on it.
for (const [name, value] of Object.entries(api)) {
  if (name !== 'module.exports' && !(name in createServer))
    Object.defineProperty(createServer, name, { value, enumerable: true });
}
export { createServer as 'module.exports' };
