// The wire of @socket.io/postgres-adapter 0.5: one channel per namespace, `${channelPrefix}#${nsp}`; a cluster message
// as JSON in the NOTIFY payload, or, when it holds binary or is too big for a NOTIFY, as msgpack in a row of the
// attachments table with a JSON header `{ uid, type, attachmentId }` as the payload.
import { hasBinary, type ClusterMessage } from '@switchboard/adapter';

/** NOTIFY refuses payloads of 8000 bytes or more (PostgreSQL's default page size). */
export const MAX_NOTIFY_PAYLOAD_BYTES = 7999;

/** The header sent in place of a message stored in the attachments table. */
export interface AttachmentHeader {
  uid: string;
  type: number;
  /** The row's id: a string, as node-postgres returns a bigserial. */
  attachmentId: string;
}

/** The channel of a namespace. */
export function channelOf(channelPrefix: string, nsp: string): string {
  return `${channelPrefix}#${nsp}`;
}

/** A channel name as a quoted SQL identifier (LISTEN takes no parameters). */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * The NOTIFY payload of a message, or undefined when it must go through the attachments table: it holds binary
 * (JSON would mangle it) or its JSON reaches `payloadThreshold` bytes.
 */
export function inlinePayload(message: ClusterMessage, payloadThreshold: number): string | undefined {
  if ('data' in message && hasBinary(message.data)) return undefined;
  const json = JSON.stringify(message);
  // A UTF-8 byte is at most one UTF-16 unit's worth of 3 bytes: short strings skip the exact count.
  if (json.length * 3 < payloadThreshold) return json;
  return Buffer.byteLength(json) < payloadThreshold ? json : undefined;
}

/** The header of an attached message. */
export function encodeHeader(message: ClusterMessage, attachmentId: string): string {
  const header: AttachmentHeader = { uid: message.uid, type: message.type, attachmentId };
  return JSON.stringify(header);
}

/** A parsed NOTIFY payload: a whole message, or the header of an attached one. */
export type Notification =
  { kind: 'message'; message: Record<string, unknown> } | { kind: 'attachment'; uid: string; attachmentId: string };

/** Parses a NOTIFY payload; undefined when it is not a JSON object. */
export function parseNotification(payload: string): Notification | undefined {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  const id = record['attachmentId'];
  if (typeof id === 'string' || typeof id === 'number') {
    return {
      kind: 'attachment',
      uid: typeof record['uid'] === 'string' ? record['uid'] : '',
      attachmentId: String(id),
    };
  }
  return { kind: 'message', message: record };
}
