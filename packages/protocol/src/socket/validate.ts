// Socket.IO packet validation shared by both sides: reserved event names.

/** Reserved event names that users may not emit or receive. */
export const RESERVED_EVENTS: ReadonlySet<string> = new Set([
  'connect',
  'connect_error',
  'disconnect',
  'disconnecting',
  'newListener',
  'removeListener',
]);
