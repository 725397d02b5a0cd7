// The one place the chat names its Socket.IO server implementation: swap this import to change servers.
export { Server } from '@switchboard/server';
