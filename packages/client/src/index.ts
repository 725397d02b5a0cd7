// Public API of @switchboard/client: socket.io-client v4 compatible `io`, Manager and Socket.
import { SOCKET_PROTOCOL } from '@switchboard/protocol';
import { connect, io } from './lookup.js';
import { Manager } from './manager.js';
import { Socket } from './socket.js';
import * as api from './index.js';

// As on socket.io-client's CommonJS build and script-tag global: `io` carries the rest of the API.
Object.assign(io, { io, connect, Manager, Socket, protocol: SOCKET_PROTOCOL });
// Under require() `io` is the module (see 'module.exports' below), so it carries every value its CommonJS types name.
// Browser bundles drop `NODE:` statements (scripts/build-browser.mjs): no room in their byte budget, and their global
// carries what socket.io-client's script build does.
NODE: for (const [name, value] of Object.entries(api)) {
  if (name !== 'default' && name !== 'module.exports' && !(name in io))
    Object.defineProperty(io, name, { value, enumerable: true });
}

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
// The transport classes, as socket.io-client re-exports them from engine.io-client: `io(url, { transports: [WebSocket] })`.
export { Fetch, NodeXHR, XHR, NodeWebSocket, WebSocket } from '@switchboard/engine-client';
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
// An indirect export: a `default` binding of this module's own would still be uninitialised in the loop above.
export { io as default } from './lookup.js';
// `require('@switchboard/client')` (Node >= 20.19 loads ES modules) returns `io` itself, as with socket.io-client.
export { io as 'module.exports' };
