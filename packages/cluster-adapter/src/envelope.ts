// The IPC form of a cluster message, as @socket.io/cluster-adapter 0.3 sends it: the kit's message object plus a
// `source` tag (so other IPC traffic is told apart) and, on responses, the `requesterUid` the primary routes by.
import type { ClusterMessage } from '@switchboard/adapter';

/** The tag on every adapter message over IPC; socket.io's cluster adapter uses the same, so mixed clusters work. */
export const MESSAGE_SOURCE = '_sio_adapter';

/** A cluster message as it crosses the IPC channel. */
export type IpcEnvelope = ClusterMessage & { source: typeof MESSAGE_SOURCE; requesterUid?: string };

/** Whether an IPC message is an adapter message (its fields are checked later, by the kit's parser). */
export function isEnvelope(
  value: unknown,
): value is { source: string; uid: unknown; nsp: unknown; type: unknown; requesterUid?: unknown } {
  return typeof value === 'object' && value !== null && (value as { source?: unknown }).source === MESSAGE_SOURCE;
}
