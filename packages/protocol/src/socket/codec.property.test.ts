import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CodecError } from '../errors.js';
import { Decoder, decodePlainText } from './decoder.js';
import { Encoder } from './encoder.js';
import { PacketType, type Packet } from './packet.js';

const HOSTILE_OR_RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype', '_placeholder']);
const key = fc.string({ maxLength: 8 }).filter((k) => !HOSTILE_OR_RESERVED_KEYS.has(k));
const leaf = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.constantFrom(1.5, -2.25, 1e21),
  fc.boolean(),
  fc.constant(null),
  fc.uint8Array({ maxLength: 8 }),
);
// Depth stays far below the decoder's default maxDepth of 100.
const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 4 },
    leaf,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 4, noNullPrototype: true }),
  ),
}));
const namespace = fc.oneof(fc.constant('/'), fc.stringMatching(/^\/[a-z0-9-]{1,8}$/));
const ackId = fc.nat({ max: 2 ** 31 });

const packetArbitrary: fc.Arbitrary<Packet> = fc.oneof(
  fc.record(
    {
      type: fc.constant(PacketType.EVENT),
      nsp: namespace,
      data: fc
        .tuple(fc.oneof(fc.string({ maxLength: 10 }), fc.integer()), fc.array(value, { maxLength: 4 }))
        .map(([name, args]) => [name, ...args]),
      id: ackId,
    },
    // An event with or without an ack id; requiredKeys leaves `id` out of some records.
    { requiredKeys: ['type', 'nsp', 'data'], noNullPrototype: true },
  ),
  fc.record(
    { type: fc.constant(PacketType.ACK), nsp: namespace, data: fc.array(value, { maxLength: 4 }), id: ackId },
    { noNullPrototype: true },
  ),
  fc.record(
    {
      type: fc.constant(PacketType.CONNECT),
      nsp: namespace,
      data: fc.dictionary(key, fc.string({ maxLength: 8 }), { maxKeys: 3, noNullPrototype: true }),
    },
    { requiredKeys: ['type', 'nsp'], noNullPrototype: true },
  ),
  fc.record({ type: fc.constant(PacketType.DISCONNECT), nsp: namespace }, { noNullPrototype: true }),
  fc.record(
    {
      type: fc.constant(PacketType.CONNECT_ERROR),
      nsp: namespace,
      data: fc.record({ message: fc.string({ maxLength: 12 }) }, { noNullPrototype: true }),
    },
    { noNullPrototype: true },
  ),
);

function roundTrip(packet: Packet, decoder = new Decoder()): Array<Packet | CodecError> {
  const out: Array<Packet | CodecError> = [];
  decoder.on('decoded', (decoded) => out.push(decoded)).on('error', (error) => out.push(error));
  for (const message of new Encoder().encode(packet)) decoder.add(message);
  return out;
}

describe('Socket.IO codec properties', () => {
  it('decodes what it encodes, nested binary included', () => {
    fc.assert(
      fc.property(packetArbitrary, (packet) => {
        // Binary or not, the decoder hands back the EVENT/ACK that was encoded.
        const expected: Packet = { ...packet };
        assert.deepEqual(roundTrip(packet, new Decoder({ maxAttachments: Infinity })), [expected]);
      }),
      { numRuns: 400 },
    );
  });

  it('encodes a text packet exactly as JSON.stringify would frame it', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 3 }), (args) => {
        const data = ['ev', ...args];
        assert.deepEqual(new Encoder().encode({ type: PacketType.EVENT, nsp: '/', data }), [
          '2' + JSON.stringify(data),
        ]);
      }),
      { numRuns: 200 },
    );
  });

  it('round-trips a packet with exactly the default maximum of attachments', () => {
    const data = ['ev', ...Array.from({ length: 10 }, (_, i) => Uint8Array.of(i))];
    assert.deepEqual(roundTrip({ type: PacketType.EVENT, nsp: '/', data }), [
      { type: PacketType.EVENT, nsp: '/', data },
    ]);
  });

  const tokens = [
    '0',
    '1',
    '2',
    '3',
    '4',
    '5',
    '6',
    '9',
    '-',
    '/',
    'a',
    ',',
    '[',
    ']',
    '{',
    '}',
    '"',
    ':',
    '"ev"',
    '{"_placeholder":true,"num":0}',
    '"num":',
    '"_placeholder":true',
    '"__proto__"',
    '\\u005f',
    'null',
    '1e400',
  ];
  const hostileText = fc.array(fc.constantFrom(...tokens), { maxLength: 20 }).map((parts) => parts.join(''));
  const message = fc.oneof(hostileText, fc.string({ maxLength: 20 }), fc.uint8Array({ maxLength: 6 }));

  it('never throws on random messages and emits only packets or codec errors', () => {
    fc.assert(
      fc.property(fc.array(message, { maxLength: 8 }), (messages) => {
        const decoder = new Decoder();
        decoder.on('decoded', (packet) => assert.equal(typeof packet.nsp, 'string'));
        decoder.on('error', (error) => assert.ok(error instanceof CodecError));
        for (const chunk of messages) decoder.add(chunk);
      }),
      { numRuns: 500 },
    );
  });

  it('decodePlainText answers what a Decoder emits, for any text that announces no attachments', () => {
    fc.assert(
      fc.property(fc.oneof(hostileText, fc.string({ maxLength: 20 })), (text) => {
        if (text.startsWith('5') || text.startsWith('6')) return;
        const emitted: Array<Packet | CodecError> = [];
        const fresh = new Decoder();
        fresh.on('decoded', (packet) => emitted.push(packet)).on('error', (error) => emitted.push(error));
        fresh.add(text);
        const answered = decodePlainText(text);
        if (answered instanceof CodecError) {
          assert.ok(emitted[0] instanceof CodecError);
          assert.equal(answered.code, emitted[0].code);
        } else {
          assert.deepEqual([answered], emitted);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('never emits after destroy', () => {
    fc.assert(
      fc.property(fc.array(message, { maxLength: 8 }), fc.nat({ max: 8 }), (messages, destroyAt) => {
        const decoder = new Decoder();
        let destroyed = false;
        const fail = (): void => assert.ok(!destroyed, 'emitted after destroy');
        decoder.on('decoded', fail).on('error', fail);
        messages.forEach((chunk, index) => {
          if (index === destroyAt) {
            decoder.destroy();
            destroyed = true;
          }
          decoder.add(chunk);
        });
      }),
      { numRuns: 300 },
    );
  });
});
