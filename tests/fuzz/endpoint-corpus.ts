// The hostile-input corpus for the live endpoints: HTTP requests with random methods, paths, queries, headers and
// polling bodies, and WebSocket sessions sending random frame sequences.
import fc from 'fast-check';
import { decoderCase, type Chunk } from './decoder-corpus.js';

/** Whether the case first opens a real session, whose id replaces `{sid}` in the query. */
export type SessionKind = 'none' | 'polling';

/** One HTTP request, sent on a fresh connection. */
export interface HttpCase {
  family: string;
  session: SessionKind;
  method: string;
  /** Path and query, `{sid}` standing for the session's id. */
  target: string;
  headers: Array<[string, string]>;
  body?: string | Uint8Array;
  /** Not valid HTTP/1.1: Node's parser may answer 400 itself, without the engine's JSON body. */
  malformed?: boolean;
  /** Sent twice at once on the session (overlapping polls or POSTs). */
  concurrent?: boolean;
}

/** One WebSocket frame, or a WebSocket ping. */
export type Frame = { text: string } | { binary: Uint8Array } | { invalidText: Uint8Array } | { ping: true };

/** One WebSocket session: connect to `target`, optionally join namespaces, send the frames. */
export interface WsCase {
  family: string;
  session: SessionKind;
  target: string;
  connectFirst: boolean;
  frames: Frame[];
}

const SID = fc.oneof(
  { arbitrary: fc.constant('{sid}'), weight: 4 },
  {
    arbitrary: fc.constantFrom('__proto__', 'constructor', 'hasOwnProperty', 'toString', '', 'AAAAAAAAAAAAAAAAAAAA'),
    weight: 2,
  },
  { arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 30 }).map(encodeURIComponent), weight: 1 },
  { arbitrary: fc.constant('x'.repeat(5000)), weight: 1 },
);
const EIO = fc.constantFrom('4', '4', '4', '3', '5', '', 'x', '4.0', '04', '%34', '-1');
const TRANSPORT = fc.constantFrom(
  'polling',
  'polling',
  'websocket',
  'flashsocket',
  '',
  'POLLING',
  '__proto__',
  'polling%00',
);
const JUNK_PARAMS = fc.constantFrom(
  '__proto__=1',
  'constructor=x',
  '%ZZ=%',
  '&&&',
  '=',
  'b64=1',
  'EIO=4&EIO=3',
  'j=0',
  't=%E2%82',
  'x=' + 'y'.repeat(3000),
);

const query = fc
  .record(
    {
      eio: fc.option(EIO, { nil: undefined }),
      transport: fc.option(TRANSPORT, { nil: undefined }),
      sid: fc.option(SID, { nil: undefined }),
      junk: fc.array(JUNK_PARAMS, { maxLength: 3 }),
    },
    { noNullPrototype: true },
  )
  .map(({ eio, transport, sid, junk }) => {
    const params: string[] = [];
    if (eio !== undefined) params.push(`EIO=${eio}`);
    if (transport !== undefined) params.push(`transport=${transport}`);
    if (sid !== undefined) params.push(`sid=${sid}`);
    return [...params, ...junk].join('&');
  });

const ENGINE_PATHS = [
  '/socket.io/',
  '/socket.io/',
  '/socket.io/',
  '/socket.io/x/y',
  '/socket.io/%00',
  '/socket.io/socket.io.js',
];
const OTHER_PATHS = [
  '/',
  '/socket.io',
  '//socket.io/',
  '/socket.io/../etc/passwd',
  '/socket.io/socket.io.min.js.map',
  '/' + 'a'.repeat(8000),
];
const path = fc.oneof(
  { arbitrary: fc.constantFrom(...ENGINE_PATHS), weight: 5 },
  { arbitrary: fc.constantFrom(...OTHER_PATHS), weight: 1 },
);
const target = fc.tuple(path, query).map(([p, q]) => (q === '' ? p : `${p}?${q}`));

const METHODS = ['GET', 'GET', 'POST', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH'];
const HEADERS = fc.array(
  fc.oneof(
    fc.tuple(
      fc.constant('Content-Type'),
      fc.constantFrom(
        'text/plain;charset=UTF-8',
        'application/octet-stream',
        'application/json',
        '',
        'x/y; boundary=--',
      ),
    ),
    fc.tuple(fc.constant('Origin'), fc.constantFrom('http://example.com', 'null', '*', 'http://a\tb')),
    fc.tuple(fc.constant('Cookie'), fc.constantFrom('io=abc', 'io=', '__proto__=1', ';;;')),
    fc.tuple(fc.constant('Accept-Encoding'), fc.constantFrom('gzip', 'deflate', 'gzip;q=0', '*', 'br, x')),
    fc.tuple(fc.constant('User-Agent'), fc.constantFrom('Trident/7.0', 'fuzz')),
    fc.tuple(fc.constant('X-Forwarded-For'), fc.constantFrom('1.2.3.4', 'junk, , ,')),
  ),
  { maxLength: 4 },
);

/** Arguments of an EVENT to a real listener: over maxArguments (1000), within the slice's 64 KB, and 240 KB of them. */
const ARGUMENT_FLOOD = fc.constantFrom(1001, 30_000, 120_000);

const joinChunks = (chunks: Chunk[]): string =>
  chunks.map((c) => (typeof c === 'string' ? c : Buffer.from(c).toString('latin1'))).join('\x1e');
/** Polling bodies: decoder-corpus payloads behind a message digit, v3 length prefixes, oversize bodies, raw bytes. */
const body = fc.oneof(
  { arbitrary: decoderCase.map((c) => joinChunks(c.chunks)), weight: 3 },
  {
    arbitrary: decoderCase.map((c) =>
      c.chunks.map((x) => (typeof x === 'string' ? `4${x}` : 'b' + Buffer.from(x).toString('base64'))).join('\x1e'),
    ),
    weight: 4,
  },
  {
    arbitrary: fc.constantFrom(
      '999999999999999:4x',
      '2:40',
      '1:1',
      '0:',
      `${'9'.repeat(400)}:4`,
      '1',
      '\x1e\x1e',
      'bAAA=\x1ebQ',
      '451-["ev",{"_placeholder":true,"num":0}]',
    ),
    weight: 2,
  },
  { arbitrary: fc.constantFrom(70_000, 200_000).map((n) => '4' + 'a'.repeat(n)), weight: 1 },
  // Joins the main namespace first, so the flood reaches the listener.
  { arbitrary: ARGUMENT_FLOOD.map((n) => `40\x1e42["echo"${',1'.repeat(n)}]`), weight: 1 },
  { arbitrary: fc.uint8Array({ maxLength: 256 }), weight: 1 },
);

const randomRequest: fc.Arbitrary<HttpCase> = fc
  .record(
    { method: fc.constantFrom(...METHODS), target, headers: HEADERS, body: fc.option(body, { nil: undefined }) },
    { noNullPrototype: true },
  )
  .map(({ method, target: t, headers, body: b }) => {
    const testCase: HttpCase = { family: 'random request', session: 'none', method, target: t, headers };
    if (b !== undefined && method !== 'GET' && method !== 'HEAD') testCase.body = b;
    return testCase;
  });

/** Requests on a live polling session, so the junk passes verification and reaches the payload decoders. */
const onLiveSession: fc.Arbitrary<HttpCase> = fc
  .record(
    {
      method: fc.constantFrom('POST', 'POST', 'POST', 'POST', 'POST', 'GET', 'PUT', 'OPTIONS'),
      target: fc
        .tuple(fc.constantFrom('4', '4', '4', '3'), fc.array(JUNK_PARAMS, { maxLength: 1 }))
        .map(([eio, junk]) => `/socket.io/?EIO=${eio}&transport=polling&sid={sid}${junk.map((j) => `&${j}`).join('')}`),
      headers: HEADERS,
      body,
      concurrent: fc.nat({ max: 4 }).map((n) => n === 0),
    },
    { noNullPrototype: true },
  )
  .map(({ method, target: t, headers, body: b, concurrent }) => {
    const testCase: HttpCase = { family: 'on a live polling session', session: 'polling', method, target: t, headers };
    if (method !== 'GET') testCase.body = b;
    if (concurrent) testCase.concurrent = true;
    return testCase;
  });

/** Requests Node's HTTP parser may refuse on its own: bad method tokens, control characters, conflicting lengths. */
const malformed: fc.Arbitrary<HttpCase> = fc
  .record(
    {
      method: fc.constantFrom('G ET', 'FOO', '', 'GET\x00', 'P\u00d6ST'),
      target: fc.constantFrom(
        '/socket.io/?EIO=4&transport=polling',
        '/socket.io/?EIO=4&transport=polling\x00',
        '/socket.io/ ?x',
      ),
      headers: fc.constantFrom<Array<[string, string]>>(
        [],
        [['Transfer-Encoding', 'chunked, identity']],
        [['X-Bad', 'a\x7fb']],
        [
          ['Content-Length', '5'],
          ['Transfer-Encoding', 'chunked'],
        ],
      ),
    },
    { noNullPrototype: true },
  )
  .map(({ method, target: t, headers }) => ({
    family: 'malformed HTTP',
    session: 'none',
    method,
    target: t,
    headers,
    malformed: true,
  }));

/** HTTP cases: random requests (the engine's checks), junk on live sessions (the decoders), some only Node's parser sees. */
export const httpCase: fc.Arbitrary<HttpCase> = fc.oneof(
  { arbitrary: randomRequest, weight: 5 },
  { arbitrary: onLiveSession, weight: 4 },
  { arbitrary: malformed, weight: 1 },
);

const ENGINE_FRAMES = [
  '2',
  '3',
  '2probe',
  '3probe',
  '5',
  '6',
  '1',
  '0',
  '40',
  '40/admin,',
  '41',
  '7',
  '',
  'b',
  'bAQID',
  '4',
];
/** Frames: decoder-corpus chunks behind the message digit (valid prefix, junk rest), engine packets, junk, pings. */
const frame: fc.Arbitrary<Frame[]> = fc.oneof(
  {
    arbitrary: decoderCase.map((c) =>
      c.chunks.map((x): Frame => (typeof x === 'string' ? { text: `4${x}` } : { binary: x })),
    ),
    weight: 5,
  },
  {
    arbitrary: decoderCase.map((c) =>
      c.chunks.map((x): Frame => (typeof x === 'string' ? { text: x } : { binary: x })),
    ),
    weight: 2,
  },
  { arbitrary: fc.constantFrom(...ENGINE_FRAMES).map((text): Frame[] => [{ text }]), weight: 3 },
  { arbitrary: fc.constant<Frame[]>([{ text: '451-["echo",{"_placeholder":true,"num":0}]' }]), weight: 1 },
  {
    arbitrary: fc
      .uint8Array({ minLength: 1, maxLength: 8 })
      .map((bytes): Frame[] => [{ invalidText: Uint8Array.from([0x34, 0xc0, ...bytes]) }]),
    weight: 1,
  },
  { arbitrary: fc.constant<Frame[]>([{ ping: true }]), weight: 1 },
  { arbitrary: fc.constant<Frame[]>([{ text: '4' + 'a'.repeat(70_000) }]), weight: 1 },
  { arbitrary: ARGUMENT_FLOOD.map((n): Frame[] => [{ text: `42["echo"${',1'.repeat(n)}]` }]), weight: 1 },
);

const wsTarget = fc.oneof(
  {
    arbitrary: fc.constantFrom(
      '/socket.io/?EIO=4&transport=websocket',
      '/socket.io/?EIO=3&transport=websocket',
      '/socket.io/?EIO=4&transport=websocket&b64=1',
    ),
    weight: 6,
  },
  { arbitrary: fc.constant('/socket.io/?EIO=4&transport=websocket&sid={sid}'), weight: 2 },
  { arbitrary: target, weight: 1 },
);

/** WebSocket sessions: mostly a valid handshake followed by a random frame sequence. */
export const wsCase: fc.Arbitrary<WsCase> = fc
  .record(
    {
      target: wsTarget,
      connectFirst: fc.boolean(),
      frames: fc.array(frame, { minLength: 1, maxLength: 6 }).map((groups) => groups.flat()),
    },
    { noNullPrototype: true },
  )
  .map(({ target: t, connectFirst, frames }) => {
    const session: SessionKind = t.includes('{sid}') ? 'polling' : 'none';
    return {
      family: session === 'polling' ? 'WebSocket upgrade of a live session' : 'WebSocket frames',
      session,
      target: t,
      connectFirst,
      frames,
    };
  });
