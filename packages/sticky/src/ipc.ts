// What the primary and the workers of sticky routing say to each other over IPC; the `type` prefix keeps these
// apart from the adapter's and the application's messages.

/** Primary → worker: a connection (its handle travels with the message) and the bytes already read from it. */
export interface ConnectionMessage {
  type: 'switchboard:sticky:connection';
  /** Latin-1, so it survives both the json and the advanced IPC serialization byte for byte. */
  head: string;
}

/** Worker → primary. */
export type WorkerMessage =
  | { type: 'switchboard:sticky:ready' }
  | { type: 'switchboard:sticky:bind'; sessionId: string }
  | { type: 'switchboard:sticky:unbind'; sessionId: string };

export function isWorkerMessage(value: unknown): value is WorkerMessage {
  if (typeof value !== 'object' || value === null) return false;
  const { type, sessionId } = value as { type?: unknown; sessionId?: unknown };
  if (type === 'switchboard:sticky:ready') return true;
  return (type === 'switchboard:sticky:bind' || type === 'switchboard:sticky:unbind') && typeof sessionId === 'string';
}

export function isConnectionMessage(value: unknown): value is ConnectionMessage {
  if (typeof value !== 'object' || value === null) return false;
  const { type, head } = value as { type?: unknown; head?: unknown };
  return type === 'switchboard:sticky:connection' && typeof head === 'string';
}
