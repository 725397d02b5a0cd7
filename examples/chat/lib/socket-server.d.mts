// Types for socket-server.mjs: whichever Server it re-exports (keep both files naming the same package).
export { Server, type Socket } from '@switchboard/server';
