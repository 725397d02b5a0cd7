// The classic adapter's wire: channel names, msgpack bytes as notepack.io (socket.io's codec) writes and reads them,
// and malformed messages turned into reasons, never exceptions.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { msgpackParser } from './classic-parser.js';
import { broadcastChannel, channelsOf, decodeBroadcast, decodeMessage, patternFor } from './classic-wire.js';

const notepack = createRequire(import.meta.url)('notepack.io') as {
  encode(value: unknown): Buffer;
  decode(bytes: Buffer): unknown;
};

const hex = (bytes: Uint8Array | string): string => Buffer.from(bytes as Uint8Array).toString('hex');

describe('channel names', () => {
  test('follow @socket.io/redis-adapter: broadcast, room, request, response and specific response channels', () => {
    const channels = channelsOf('socket.io', '/chat', 'abc123');
    assert.deepEqual(channels, {
      broadcast: 'socket.io#/chat#',
      request: 'socket.io-request#/chat#',
      response: 'socket.io-response#/chat#',
      specificResponse: 'socket.io-response#/chat#abc123#',
    });
    assert.equal(broadcastChannel(channels, new Set(['room1'])), 'socket.io#/chat#room1#');
    assert.equal(broadcastChannel(channels, new Set(['room1', 'room2'])), 'socket.io#/chat#');
    assert.equal(broadcastChannel(channels, new Set()), 'socket.io#/chat#');
  });

  test('subscribe with a pattern that treats glob characters of the key and namespace literally', () => {
    assert.equal(patternFor('socket.io#/#'), 'socket.io#/#*');
    assert.equal(patternFor('k[1]*?\\#/#'), 'k\\[1\\]\\*\\?\\\\#/#*');
  });
});

describe('msgpack bytes', () => {
  const broadcast = [
    'Ab3xYz',
    {
      type: 2,
      data: ['event', 1, -1, 1.5, 300, 70000, 2 ** 40, 'é', null, true, { nested: [false] }, Buffer.from([1, 2, 3])],
      nsp: '/',
    },
    { rooms: ['r1'], except: [], flags: { volatile: true, compress: undefined } },
  ];

  test('are the bytes notepack.io writes for a broadcast (binary, floats, wide integers, unicode, undefined flags)', () => {
    assert.equal(hex(msgpackParser.encode(broadcast)), hex(notepack.encode(broadcast)));
  });

  test('read the undefined of older notepack.io versions (fixext d4 00 00) back as undefined', () => {
    assert.deepEqual(msgpackParser.decode(Buffer.from('92d4000001', 'hex')), [undefined, 1]);
  });

  test('round-trip any JSON value and binary through notepack.io in both directions', () => {
    // Through JSON once: clients see JSON, where -0 is 0 (notepack.io writes -0 as the integer 0).
    const value = fc
      .jsonValue()
      .map((v) => JSON.parse(JSON.stringify(v)) as unknown)
      .filter((v) => !JSON.stringify(v).includes('__proto__'));
    fc.assert(
      fc.property(value, fc.uint8Array({ maxLength: 40 }), (json, bytes) => {
        const message = [json, Buffer.from(bytes)];
        // notepack.io itself loses integers past 2^64 (uint64 overflow): only what it keeps is compared.
        fc.pre(isDeepStrictEqual(notepack.decode(notepack.encode(message)), message));
        assert.deepEqual(notepack.decode(Buffer.from(msgpackParser.encode(message) as Uint8Array)), message);
        const back = msgpackParser.decode(notepack.encode(message)) as [unknown, Uint8Array];
        assert.deepEqual(back[0], json);
        assert.deepEqual([...back[1]], [...bytes]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('decoding messages from Redis', () => {
  const encode = (value: unknown): Buffer => Buffer.from(msgpackParser.encode(value) as Uint8Array);

  test('accepts a broadcast [uid, packet, opts] and defaults the namespace to /', () => {
    const decoded = decodeBroadcast(
      msgpackParser,
      encode(['u1', { type: 2, data: ['ev', 1] }, { rooms: ['a'], except: ['b'], flags: { volatile: true } }]),
    );
    assert.deepEqual(decoded, {
      uid: 'u1',
      packet: { type: 2, data: ['ev', 1], nsp: '/' },
      opts: { rooms: ['a'], except: ['b'], flags: { volatile: true } },
    });
  });

  test('turns malformed broadcasts into reasons', () => {
    const cases: [unknown, string][] = [
      [{ not: 'an array' }, 'a broadcast is not [uid, packet, opts]'],
      [[1, { type: 2, data: ['ev'] }, { rooms: [] }], 'a broadcast uid is not a string'],
      [['u', { type: 3, data: ['ev'] }, { rooms: [] }], 'a broadcast packet is not an event'],
      [['u', { type: 2, data: [] }, { rooms: [] }], 'a broadcast packet is not an event'],
      [['u', { type: 2, data: [{}] }, { rooms: [] }], 'a broadcast packet is not an event'],
      [['u', { type: 2, data: ['ev'] }, { rooms: [1] }], 'a broadcast has malformed rooms or except'],
      [['u', { type: 2, data: ['ev'] }, { rooms: [], except: 'x' }], 'a broadcast has malformed rooms or except'],
    ];
    for (const [message, reason] of cases)
      assert.equal(decodeBroadcast(msgpackParser, encode(message)), reason, JSON.stringify(message));
    assert.match(decodeBroadcast(msgpackParser, Buffer.from([0xc1])) as string, /^undecodable broadcast: /);
  });

  test('reads requests as JSON when they start with { and as msgpack otherwise, and refuses non-objects', () => {
    assert.deepEqual(decodeMessage(msgpackParser, Buffer.from('{"type":5,"requestId":"r"}')), {
      type: 5,
      requestId: 'r',
    });
    assert.deepEqual(decodeMessage(msgpackParser, encode({ type: 9, requestId: 'r', packet: 'ok' })), {
      type: 9,
      requestId: 'r',
      packet: 'ok',
    });
    assert.match(decodeMessage(msgpackParser, Buffer.from('{"type":')) as string, /^undecodable message: /);
    assert.equal(decodeMessage(msgpackParser, encode([1, 2])), 'a message is not an object');
  });
});
