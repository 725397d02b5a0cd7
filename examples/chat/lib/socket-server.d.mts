// Types for socket-server.mjs: whichever Server it re-exports.
export { Server } from 'socket.io';
