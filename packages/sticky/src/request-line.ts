// The part of an HTTP request the primary reads before it hands the connection over: the request line only, which
// carries the Engine.IO session id in its query (`?EIO=4&transport=polling&sid=...`). Headers and body are the
// worker's to parse.

/** What the primary learns from the bytes received so far. */
export type RequestLine =
  { kind: 'incomplete' } | { kind: 'invalid' } | { kind: 'request'; sessionId: string | undefined };

/** Longer than any sane URL, well under Node's 16 KiB header limit; beyond it the request is refused. */
export const MAX_REQUEST_LINE_BYTES = 8192;

const LF = 0x0a;
// Method SP request-target SP HTTP-version (RFC 9112, section 3), with a generous method token.
const REQUEST_LINE = /^[A-Z]{3,10} (\S+) HTTP\/1\.[01]\r?$/;
// Session ids our engine and socket.io's generate (base64url-ish, 20 characters); anything else is not a session.
const SESSION_ID = /^[\w-]{1,64}$/;

/** Reads the request line from the first bytes of a connection. */
export function readRequestLine(head: Buffer): RequestLine {
  const end = head.indexOf(LF);
  if (end === -1) return head.length > MAX_REQUEST_LINE_BYTES ? { kind: 'invalid' } : { kind: 'incomplete' };
  if (end > MAX_REQUEST_LINE_BYTES) return { kind: 'invalid' };
  const match = REQUEST_LINE.exec(head.toString('latin1', 0, end));
  if (match === null) return { kind: 'invalid' };
  return { kind: 'request', sessionId: sessionIdOf(match[1] as string) };
}

function sessionIdOf(target: string): string | undefined {
  const queryAt = target.indexOf('?');
  if (queryAt === -1) return undefined;
  const sid = new URLSearchParams(target.slice(queryAt + 1)).get('sid');
  return sid !== null && SESSION_ID.test(sid) ? sid : undefined;
}
