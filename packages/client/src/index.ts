// Public API of @switchboard/client: socket.io-client v4 compatible `io`, Manager and Socket.
import { io } from './lookup.js';

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
