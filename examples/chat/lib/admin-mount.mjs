// ADMIN MOUNT POINT: where the chat attaches the Switchboard admin dashboard (packages/admin) at /admin.
//
// To be wired by the admin package engineer or the lead; until then this is a no-op and the chat runs
// without a dashboard. The intended shape, once `@switchboard/admin` exports `instrument`:
//
//   import { instrument } from '@switchboard/admin';
//   export function mountAdmin(io) {
//     instrument(io, { namespaceName: '/admin', auth: ... });  // the admin namespace on this io server
//     return serveAdminUi;  // optional: answers GET /admin/* with the dashboard UI and returns true
//   }
//
// server.mjs calls the returned handler before its static files, so a returned handler owns /admin.

/**
 * An HTTP handler that returns true when it answered the request, false to let the static files try.
 * @typedef {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => boolean} HttpHandler
 */

/**
 * Attaches the admin dashboard to the chat's Socket.IO server. Currently a no-op (see the header).
 * @param {import('./socket-server.mjs').Server} _io
 * @returns {HttpHandler | undefined} a handler for the dashboard's HTTP routes, if it serves any
 */
export function mountAdmin(_io) {
  return undefined;
}
