// Interop: our codecs against the official socket.io-parser, engine.io-parser and engine.io's v3 parser
// (installed with socket.io / engine.io) on the same inputs; encodings must be byte-identical.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import * as officialEngine from 'engine.io-parser';
import * as officialSocket from 'socket.io-parser';
import { encodePacket, type EnginePacket, type EnginePacketType } from './engine/packet.js';
import { decodePayload, encodePayload } from './engine/payload.js';
import { decodePayloadV3, encodePayloadV3 } from './engine/payload-v3.js';
import { Decoder } from './socket/decoder.js';
import { Encoder } from './socket/encoder.js';
import { PacketType, type Packet } from './socket/packet.js';

type OfficialV3 = {
  encodePayload(packets: unknown[], supportsBinary: boolean, callback: (payload: string | Buffer) => void): void;
  decodePayload(
    data: string | Buffer,
    binaryType: string,
    callback: (packet: { type: string; data?: unknown }) => unknown,
  ): void;
};
const require = createRequire(import.meta.url);
// engine.io's exports map hides its v3 parser; an absolute path reaches it.
const officialV3 = require(join(dirname(require.resolve('engine.io')), 'parser-v3', 'index.js')) as OfficialV3;

const bytes = (value: unknown): string => Buffer.from(value as Uint8Array).toString('hex');
const normalize = (messages: unknown[]): unknown[] => messages.map((m) => (typeof m === 'string' ? m : bytes(m)));

const types: EnginePacketType[] = ['open', 'close', 'ping', 'pong', 'message', 'upgrade', 'noop'];
const enginePacket: fc.Arbitrary<EnginePacket> = fc.oneof(
  fc.record(
    { type: fc.constantFrom(...types), data: fc.string({ minLength: 1, maxLength: 20, unit: 'grapheme' }) },
    { noNullPrototype: true },
  ),
  fc.record(
    { type: fc.constant('message' as const), data: fc.uint8Array({ minLength: 1, maxLength: 20 }) },
    { noNullPrototype: true },
  ),
);

const key = fc
  .string({ maxLength: 6 })
  .filter((k) => !['__proto__', 'constructor', 'prototype', '_placeholder'].includes(k));
const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    fc.oneof(
      fc.string({ maxLength: 8 }),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.uint8Array({ maxLength: 6 }),
    ),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(key, tie('value'), { maxKeys: 3, noNullPrototype: true }),
  ),
}));
const nsp = fc.oneof(fc.constant('/'), fc.stringMatching(/^\/[a-z]{1,6}$/));
const socketPacket: fc.Arbitrary<Packet> = fc.oneof(
  fc.record(
    {
      type: fc.constant(PacketType.EVENT),
      nsp,
      data: fc.array(value, { maxLength: 3 }).map((args) => ['ev', ...args]),
      id: fc.nat(),
    },
    { requiredKeys: ['type', 'nsp', 'data'], noNullPrototype: true },
  ),
  fc.record(
    { type: fc.constant(PacketType.ACK), nsp, data: fc.array(value, { maxLength: 3 }), id: fc.nat() },
    { noNullPrototype: true },
  ),
  fc.record(
    {
      type: fc.constant(PacketType.CONNECT),
      nsp,
      data: fc.dictionary(key, fc.string({ maxLength: 6 }), { maxKeys: 2, noNullPrototype: true }),
    },
    { requiredKeys: ['type', 'nsp'], noNullPrototype: true },
  ),
  fc.record({ type: fc.constant(PacketType.DISCONNECT), nsp }, { noNullPrototype: true }),
  fc.record(
    {
      type: fc.constant(PacketType.CONNECT_ERROR),
      nsp,
      data: fc.record({ message: fc.string({ maxLength: 8 }) }, { noNullPrototype: true }),
    },
    { noNullPrototype: true },
  ),
);

function officialEncodePacket(packet: EnginePacket, supportsBinary: boolean): string | Buffer {
  let out: unknown;
  officialEngine.encodePacket(packet, supportsBinary, (encoded) => (out = encoded));
  return out as string | Buffer;
}

describe('interop with the official parsers', () => {
  it('encodes Engine.IO v4 packets exactly as engine.io-parser does', () => {
    fc.assert(
      fc.property(enginePacket, fc.boolean(), (packet, supportsBinary) => {
        const ours = encodePacket(packet, supportsBinary);
        const theirs = officialEncodePacket(packet, supportsBinary);
        assert.deepEqual(normalize([ours]), normalize([theirs]));
        assert.deepEqual(
          normalize([officialEngine.decodePacket(ours as string, 'nodebuffer').data ?? '']),
          normalize([packet.data]),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('decodes what engine.io-parser encodes in v4 payloads, and encodes them identically', () => {
    fc.assert(
      fc.property(fc.array(enginePacket, { minLength: 1, maxLength: 5 }), (packets) => {
        let theirs = '';
        officialEngine.encodePayload(packets, (payload) => (theirs = payload));
        assert.equal(encodePayload(packets), theirs);
        const decoded = decodePayload(theirs);
        assert.ok(Array.isArray(decoded));
        assert.deepEqual(
          decoded.map((p) => [p.type, normalize([p.data])]),
          packets.map((p) => [p.type, normalize([p.data])]),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('encodes v3 payloads, text and binary forms, exactly as engine.io v3 parser does and decodes them back', () => {
    fc.assert(
      fc.property(fc.array(enginePacket, { maxLength: 5 }), fc.boolean(), (packets, supportsBinary) => {
        let theirs: string | Buffer = '';
        officialV3.encodePayload(packets, supportsBinary, (payload) => (theirs = payload));
        const ours = encodePayloadV3(packets, supportsBinary);
        assert.deepEqual(normalize([ours]), normalize([theirs]));
        const decoded = decodePayloadV3(theirs);
        assert.ok(Array.isArray(decoded));
        assert.deepEqual(
          decoded.map((p) => [p.type, normalize([p.data])]),
          packets.map((p) => [p.type, normalize([p.data])]),
        );
        const officialDecoded: Array<[string, unknown]> = [];
        officialV3.decodePayload(ours as string, 'nodebuffer', (p) =>
          officialDecoded.push([p.type, normalize([p.data])]),
        );
        assert.deepEqual(
          officialDecoded,
          packets.map((p) => [p.type, normalize([p.data])]),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('encodes Socket.IO packets exactly as socket.io-parser does, attachments included', () => {
    const ours = new Encoder();
    const theirs = new officialSocket.Encoder();
    fc.assert(
      fc.property(socketPacket, (packet) => {
        assert.deepEqual(normalize(ours.encode(packet)), normalize(theirs.encode(packet)));
      }),
      { numRuns: 300 },
    );
  });

  it('decodes what socket.io-parser encodes into the packet socket.io-parser decodes', () => {
    fc.assert(
      fc.property(socketPacket, (packet) => {
        const messages = new officialSocket.Encoder().encode(packet) as Array<string | Buffer>;
        const theirs: unknown[] = [];
        const officialDecoder = new officialSocket.Decoder();
        officialDecoder.on('decoded', (decoded: unknown) => theirs.push(decoded));
        const ours: unknown[] = [];
        const decoder = new Decoder({ maxAttachments: Infinity });
        decoder.on('decoded', (decoded) => ours.push(decoded)).on('error', (error) => ours.push(error));
        for (const message of messages) {
          officialDecoder.add(message);
          decoder.add(message);
        }
        // Both decoders hand back the attachment objects they were given; key order may differ.
        assert.deepEqual(JSON.parse(JSON.stringify(ours)), JSON.parse(JSON.stringify(theirs)));
      }),
      { numRuns: 300 },
    );
  });
});
