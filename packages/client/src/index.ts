// Public API of @switchboard/client: socket.io-client v4 compatible `io`, Manager and Socket.
import { SOCKET_PROTOCOL } from '@switchboard/protocol';
import { connect, io } from './lookup.js';
import { Manager } from './manager.js';
import { Socket } from './socket.js';

// As on socket.io-client's CommonJS build and script-tag global: `io` carries the rest of the API.
Object.assign(io, { io, connect, Manager, Socket, protocol: SOCKET_PROTOCOL });

export { io, connect, parseUrl, type IoOptions, type ParsedUrl } from './lookup.js';
export { Manager, type ManagerOptions, type ManagerReservedEvents, type Parser } from './manager.js';
export {
  Socket,
  type SocketOptions,
  type SocketReservedEvents,
  type DisconnectDescription,
  type DisconnectReason,
  type ExtendedError,
} from './socket.js';
export { ClientError, ClientErrorCode, type ClientErrorCodeValue } from './errors.js';
export type {
  EventsMap,
  DefaultEventsMap,
  EventNames,
  EventParams,
  DecorateAcknowledgements,
  ReservedOrUserEventNames,
  ReservedOrUserListener,
} from './typed-events.js';
/** The Socket.IO protocol revision this client speaks. */
export { SOCKET_PROTOCOL as protocol } from '@switchboard/protocol';
export default io;
// `require('@switchboard/client')` (Node >= 20.19 loads ES modules) returns `io` itself, as with socket.io-client.
export { io as 'module.exports' };
