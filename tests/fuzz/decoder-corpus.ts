// The hostile-input corpus for the decoders: random text and bytes, mutated golden vectors, and targeted attacks
// (huge attachment counts and ack ids, deep nesting, prototype keys in every spelling, too many arguments).
import fc from 'fast-check';
import { loadGoldenVectors } from './golden-vectors.js';

/** One message fed to a decoder: Engine.IO packet text, a polling payload, or binary. */
export type Chunk = string | Uint8Array;

/** One fuzz case: the messages fed in order (Socket.IO's Decoder keeps state across them; the others take each alone). */
export interface DecoderCase {
  /** Which generator made it: failures are counted per family. */
  family: string;
  chunks: Chunk[];
  /** What the decoders must do with it beyond the common properties. */
  expect?: 'refuse-prototype';
}

const golden = loadGoldenVectors();

/** Characters the codecs treat specially: random text built from them reaches far more branches than plain text. */
const PROTOCOL_CHARS = [
  ...Array.from('0123456789-,/[]{}":\\u_bnumtrue'),
  '__proto__',
  'constructor',
  'prototype',
  '\x1e',
  ':',
  '\xff',
];
const protocolText = fc.string({ unit: fc.constantFrom(...PROTOCOL_CHARS), maxLength: 40 });
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 48 }),
  fc.string({ unit: 'grapheme-ascii', maxLength: 48 }),
  // Lone surrogates cannot be encoded as UTF-8: they test every text-to-bytes path.
  fc.string({ unit: fc.constantFrom('\ud800', '\udfff', 'a', '4', '2'), maxLength: 12 }),
);
const bytes = fc.uint8Array({ maxLength: 64 });
/** Bytes that are not UTF-8: lone continuation bytes, overlongs, truncated sequences, encoded surrogates. */
const invalidUtf8 = fc
  .array(
    fc.constantFrom([0x80], [0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90], [0xff], [0xfe], [0x34]),
    {
      minLength: 1,
      maxLength: 8,
    },
  )
  .map((parts) => Uint8Array.from(parts.flat()));

type Mutation = (text: string, at: number, insert: string) => string;
const MUTATIONS: readonly Mutation[] = [
  (t, at, c) => t.slice(0, at) + c + t.slice(at + 1), // flip
  (t, at, c) => t.slice(0, at) + c + t.slice(at), // insert
  (t, at) => t.slice(0, at) + t.slice(at + 1), // delete
  (t, at) => t.slice(0, at), // truncate
  (t, at) => t.slice(0, at) + t.slice(at / 2, at) + t.slice(at), // duplicate a span
];

/** A golden vector with one to four flips, insertions, deletions, truncations or duplications. */
const mutated = fc
  .tuple(
    fc.constantFrom(...golden.texts),
    fc.array(
      fc.tuple(
        fc.nat({ max: MUTATIONS.length - 1 }),
        fc.nat(),
        fc.oneof(fc.constantFrom(...PROTOCOL_CHARS), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })),
      ),
      {
        minLength: 1,
        maxLength: 4,
      },
    ),
  )
  .map(([text, ops]) =>
    ops.reduce(
      (t, [kind, at, insert]) => (MUTATIONS[kind] as Mutation)(t, t.length === 0 ? 0 : at % t.length, insert),
      text,
    ),
  );
const mutatedBytes =
  golden.bytes.length === 0
    ? bytes
    : fc.tuple(fc.constantFrom(...golden.bytes), fc.nat(), fc.nat({ max: 255 })).map(([b, at, value]) => {
        const copy = Uint8Array.from(b);
        copy[at % copy.length] = value;
        return copy;
      });

const digits = (min: number, max: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...Array.from('0123456789')), minLength: min, maxLength: max });

/** `51-` style prefixes with counts from 0 to hundreds of digits, sometimes followed by attachments never sent. */
const attachmentCounts = fc
  .tuple(fc.constantFrom('5', '6'), digits(1, 300), fc.constantFrom('', '/nsp,', '/nsp,7'), fc.nat({ max: 3 }))
  .map(([type, count, prefix, sent]) => {
    const packet = `${type}${count}-${prefix}${type === '6' && !prefix.endsWith('7') ? '9' : ''}["ev",{"_placeholder":true,"num":0}]`;
    return [packet, ...Array.from({ length: sent }, () => Uint8Array.of(1, 2, 3))];
  });

/** Ack ids of 15 to 1,000 digits on every packet type. */
const ackIds = fc
  .tuple(fc.constantFrom('0', '1', '2', '3', '4', '/a,'), digits(15, 1000))
  .map(([type, id]) => (type === '/a,' ? `2/a,${id}["ev"]` : `${type}${id}${type === '2' ? '["ev"]' : '[]'}`));

const NEST_LEVELS = [33, 1000, 100_000];
/** Arrays or objects nested 33 to 100,000 levels, balanced or not, in every packet type that takes data. */
const deepNesting = fc
  .tuple(fc.constantFrom(...NEST_LEVELS), fc.boolean(), fc.boolean(), fc.nat({ max: 3 }))
  .map(([levels, arrays, balanced, kind]) => {
    const value = arrays
      ? '['.repeat(levels) + (balanced ? ']'.repeat(levels) : '')
      : '{"a":'.repeat(levels) + (balanced ? '1' + '}'.repeat(levels) : '');
    return [`2["ev",${value}]`, `31[${value}]`, `0{"a":${value}}`, `51-["ev",${value}]`][kind] as string;
  });

/** Every spelling JSON allows of `__proto__`, `constructor` and `prototype`. */
const PROTO_SPELLINGS = [
  '__proto__',
  '__pr\\u006fto__',
  '\\u005f\\u005fproto\\u005f\\u005f',
  '__proto\\u005f_',
  '\\u005F_proto__',
];
const CONSTRUCTOR_SPELLINGS = ['constructor', 'constr\\u0075ctor', '\\u0063onstructor'];
const PROTOTYPE_SPELLINGS = ['prototype', 'pr\\u006ftotype', '\\u0070rototype'];

/** Wraps `object` (JSON text) in 0 to 5 levels of arrays and objects, then in a packet of any type that takes it. */
const inPacket = (object: string, wraps: number, packetKind: number): string => {
  let json = object;
  for (let i = 0; i < wraps; i++) json = i % 2 === 0 ? `[${json}]` : `{"k${i}":${json}}`;
  switch (packetKind % 5) {
    case 0:
      return `2["ev",${json}]`;
    case 1:
      return `31[${json}]`;
    case 2:
      return `0{"auth":${json}}`;
    case 3:
      return `4{"message":"x","data":${json}}`;
    default:
      return `51-["ev",${json},{"_placeholder":true,"num":0}]`;
  }
};
const placement = fc.tuple(fc.nat({ max: 5 }), fc.nat({ max: 4 }));

/** `__proto__` keys at any depth of any packet: always refused. */
const protoKeys = fc
  .tuple(fc.constantFrom(...PROTO_SPELLINGS), placement)
  .map(([key, [wraps, kind]]) => inPacket(`{"${key}":{"polluted":true}}`, wraps, kind));

/** `{"constructor":{"prototype":..}}` in any spelling: always refused. */
const constructorPrototype = fc
  .tuple(fc.constantFrom(...CONSTRUCTOR_SPELLINGS), fc.constantFrom(...PROTOTYPE_SPELLINGS), placement)
  .map(([c, p, [wraps, kind]]) => inPacket(`{"${c}":{"${p}":{"polluted":true}}}`, wraps, kind));

/** `constructor` or `prototype` alone: plain data, which a decoder may accept or refuse. */
const constructorOrPrototypeAlone = fc
  .tuple(
    fc.constantFrom(...CONSTRUCTOR_SPELLINGS, ...PROTOTYPE_SPELLINGS),
    fc.constantFrom('1', '"x"', '{"a":1}', '[1]'),
    placement,
  )
  .map(([key, value, [wraps, kind]]) => inPacket(`{"${key}":${value}}`, wraps, kind));

/** EVENTs and ACKs with 999 to 100,000 arguments (the default maxArguments is 1000). */
const manyArguments = fc
  .tuple(fc.constantFrom(999, 1000, 1001, 5000, 100_000), fc.constantFrom('2["ev"', '31[0'))
  .map(([count, head]) => `${head}${',1'.repeat(count)}]`);

const wrap =
  (family: string, expect?: DecoderCase['expect']) =>
  (chunks: Chunk[]): DecoderCase =>
    expect === undefined ? { family, chunks } : { family, chunks, expect };
const one = (chunk: Chunk): Chunk[] => [chunk];

/** Decoder cases of every family, weighted towards the targeted attacks. */
export const decoderCase: fc.Arbitrary<DecoderCase> = fc.oneof(
  { arbitrary: anyText.map(one).map(wrap('random text')), weight: 2 },
  { arbitrary: protocolText.map(one).map(wrap('protocol-alphabet text')), weight: 3 },
  { arbitrary: bytes.map(one).map(wrap('random bytes')), weight: 1 },
  { arbitrary: invalidUtf8.map(one).map(wrap('invalid UTF-8')), weight: 1 },
  { arbitrary: mutated.map(one).map(wrap('mutated golden text')), weight: 5 },
  { arbitrary: mutatedBytes.map(one).map(wrap('mutated golden bytes')), weight: 1 },
  { arbitrary: attachmentCounts.map(wrap('attachment counts')), weight: 2 },
  { arbitrary: ackIds.map(one).map(wrap('huge ack ids')), weight: 1 },
  { arbitrary: deepNesting.map(one).map(wrap('deep nesting')), weight: 1 },
  { arbitrary: protoKeys.map(one).map(wrap('__proto__ keys', 'refuse-prototype')), weight: 2 },
  { arbitrary: constructorPrototype.map(one).map(wrap('constructor.prototype', 'refuse-prototype')), weight: 2 },
  { arbitrary: constructorOrPrototypeAlone.map(one).map(wrap('constructor or prototype alone')), weight: 1 },
  { arbitrary: manyArguments.map(one).map(wrap('too many arguments')), weight: 1 },
  // Streams: any mix of the above, so a decoder sees text while attachments are pending, stray binaries, etc.
  {
    arbitrary: fc
      .array(
        fc.oneof(
          mutated,
          protocolText,
          attachmentCounts.map((c) => c[0] as string),
          bytes,
          invalidUtf8,
        ),
        { minLength: 2, maxLength: 6 },
      )
      .map(wrap('mixed streams')),
    weight: 2,
  },
);

/** Names of every family, for the summary table. */
export const DECODER_FAMILIES = [
  'random text',
  'protocol-alphabet text',
  'random bytes',
  'invalid UTF-8',
  'mutated golden text',
  'mutated golden bytes',
  'attachment counts',
  'huge ack ids',
  'deep nesting',
  '__proto__ keys',
  'constructor.prototype',
  'constructor or prototype alone',
  'too many arguments',
  'mixed streams',
] as const;

/** How many golden vectors the mutations start from (reported, and asserted non-zero). */
export const GOLDEN_COUNTS = { texts: golden.texts.length, bytes: golden.bytes.length };
