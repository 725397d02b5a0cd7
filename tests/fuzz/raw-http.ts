// A bare HTTP/1.1 client over a TCP socket: it sends what the fuzz corpus asks, malformed requests included (which
// node:http refuses to send), and reads the answer with a deadline, never rejecting.
import { connect } from 'node:net';

/** A request with no complete answer after this long hangs (long-polls answer within the 200 ms ping interval). */
export const HANG_MS = 5000;

/** A raw HTTP answer. */
export interface RawResponse {
  outcome: 'answered' | 'closed without answer' | 'hang' | 'refused connection';
  status?: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** The answer in `data` once complete; `final` when the connection ended, so the body is whatever arrived. */
function parseResponse(data: Buffer, isHead: boolean, final = false): RawResponse | undefined {
  const end = data.indexOf('\r\n\r\n');
  if (end === -1) return undefined;
  const lines = data.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '')?.[1]);
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const rest = data.subarray(end + 4);
  if (final) return { outcome: 'answered', status, headers, body: rest };
  if (isHead || status === 204 || status === 304 || (status >= 100 && status < 200)) {
    return { outcome: 'answered', status, headers, body: Buffer.alloc(0) };
  }
  const length = headers['content-length'];
  if (length !== undefined) {
    return rest.length >= Number(length)
      ? { outcome: 'answered', status, headers, body: rest.subarray(0, Number(length)) }
      : undefined;
  }
  if (headers['transfer-encoding'] === 'chunked') {
    if (!rest.subarray(-5).equals(Buffer.from('0\r\n\r\n'))) return undefined;
    const parts: Buffer[] = [];
    for (let at = 0; ;) {
      const lineEnd = rest.indexOf('\r\n', at);
      const size = parseInt(rest.subarray(at, lineEnd).toString('latin1'), 16);
      if (!(size > 0)) break;
      parts.push(rest.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
    return { outcome: 'answered', status, headers, body: Buffer.concat(parts) };
  }
  return undefined;
}

/** Sends one request on a fresh connection and reads the answer; never rejects. */
export function sendRaw(
  port: number,
  head: Buffer,
  body: Buffer,
  isHead: boolean,
  halfClose: boolean,
): Promise<RawResponse> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let data = Buffer.alloc(0);
    let settled = false;
    const settle = (response: RawResponse): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(response);
    };
    const timer = setTimeout(() => settle({ outcome: 'hang', headers: {}, body: data }), HANG_MS);
    socket.on('connect', () => {
      socket.write(Buffer.concat([head, body]));
      if (halfClose) socket.end();
    });
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      const response = parseResponse(data, isHead);
      if (response !== undefined) settle(response);
    });
    const onClosed = (): void =>
      settle(
        parseResponse(data, isHead, true) ?? {
          outcome: data.length > 0 ? 'answered' : 'closed without answer',
          headers: {},
          body: data,
        },
      );
    socket.on('end', onClosed);
    socket.on('close', onClosed);
    socket.on('error', (error: NodeJS.ErrnoException) =>
      settle(
        error.code === 'ECONNREFUSED'
          ? { outcome: 'refused connection', headers: {}, body: data }
          : { outcome: 'closed without answer', headers: {}, body: data },
      ),
    );
  });
}
