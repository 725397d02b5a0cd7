// Types for socket-server.mjs: whichever Server it re-exports (keep the two files naming the same package).
export { Server } from '@switchboard/server';
