// Public API of @switchboard/client: socket.io-client v4 compatible `io`, Manager and Socket.
import { SOCKET_PROTOCOL } from '@switchboard/protocol';
import { connect, io } from './lookup.js';
import { Manager } from './manager.js';
import { Socket } from './socket.js';
import * as api from './index.js';

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
// require() of this module (Node's require(esm), or the CommonJS build) returns `io` itself, as with
// socket.io-client, carrying every other export too.
for (const [name, value] of Object.entries(api)) {
  if (name !== 'default' && name !== 'module.exports' && !(name in io)) Object.defineProperty(io, name, { value, enumerable: true });
}
export { io as 'module.exports' };
