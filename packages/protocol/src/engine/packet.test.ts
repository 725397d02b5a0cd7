import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CodecError, CodecErrorCode } from '../errors.js';
import { decodePacket, encodePacket, type EnginePacket, type EnginePacketType } from './packet.js';

const OPEN_JSON =
  '{"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}';

describe('Engine.IO v4 packet codec', () => {
  describe('golden vectors', () => {
    const textVectors: Array<[EnginePacket, string]> = [
      [{ type: 'open', data: OPEN_JSON }, '0' + OPEN_JSON],
      [{ type: 'close' }, '1'],
      [{ type: 'ping' }, '2'],
      [{ type: 'ping', data: 'probe' }, '2probe'],
      [{ type: 'pong', data: 'probe' }, '3probe'],
      [{ type: 'message', data: 'hello' }, '4hello'],
      [{ type: 'message', data: '2["ev",1]' }, '42["ev",1]'],
      [{ type: 'upgrade' }, '5'],
      [{ type: 'noop' }, '6'],
    ];
    for (const [packet, wire] of textVectors) {
      it(`encodes and decodes ${JSON.stringify(wire)}`, () => {
        assert.equal(encodePacket(packet, true), wire);
        assert.deepEqual(decodePacket(wire), packet);
      });
    }

    it('encodes a binary message as the raw bytes when the transport supports binary', () => {
      const encoded = encodePacket({ type: 'message', data: Uint8Array.of(1, 2, 3) }, true);
      assert.deepEqual(encoded, Uint8Array.of(1, 2, 3));
    });

    it('encodes a binary message as b + base64 when the transport does not support binary', () => {
      assert.equal(encodePacket({ type: 'message', data: Uint8Array.of(1, 2, 3) }, false), 'bAQID');
    });

    it('decodes bAQID to a binary message', () => {
      assert.deepEqual(decodePacket('bAQID'), { type: 'message', data: Uint8Array.of(1, 2, 3) });
    });

    it('decodes a binary frame to a binary message viewing the same bytes', () => {
      const frame = Buffer.from([1, 2, 3]);
      const decoded = decodePacket(frame) as EnginePacket;
      assert.equal(decoded.type, 'message');
      assert.equal(decoded.data, frame);
    });

    it('decodes an ArrayBuffer frame to a Uint8Array view', () => {
      const decoded = decodePacket(Uint8Array.of(9, 8).buffer) as EnginePacket;
      assert.deepEqual(decoded, { type: 'message', data: Uint8Array.of(9, 8) });
    });

    it('decodes an empty message as a message with empty data', () => {
      assert.deepEqual(decodePacket('4'), { type: 'message', data: '' });
    });
  });

  describe('binary inputs accepted on encode', () => {
    it('encodes a Node Buffer as the same bytes', () => {
      const buffer = Buffer.from([4, 5]);
      assert.equal(encodePacket({ type: 'message', data: buffer }, true), buffer);
    });

    it('encodes an ArrayBuffer as a Uint8Array of its bytes', () => {
      const data = Uint8Array.of(1, 2).buffer as unknown as Uint8Array;
      assert.deepEqual(encodePacket({ type: 'message', data }, true), Uint8Array.of(1, 2));
    });

    it('encodes any ArrayBufferView as a view of its own bytes only', () => {
      const backing = new Uint16Array([0x0201, 0x0403, 0x0605]);
      const view = new Uint16Array(backing.buffer, 2, 1) as unknown as Uint8Array;
      assert.equal(encodePacket({ type: 'message', data: view }, false), 'b' + Buffer.from([3, 4]).toString('base64'));
    });
  });

  describe('malformed input', () => {
    it('rejects an empty string with CODEC_ERR_INVALID_PACKET', () => {
      const result = decodePacket('');
      assert.ok(result instanceof CodecError);
      assert.equal(result.code, CodecErrorCode.INVALID_PACKET);
      assert.equal(result.message, 'empty packet');
    });

    it('rejects an unknown type digit with CODEC_ERR_INVALID_PACKET', () => {
      const result = decodePacket('7hello');
      assert.ok(result instanceof CodecError);
      assert.equal(result.code, CodecErrorCode.INVALID_PACKET);
      assert.equal(result.message, 'unknown packet type');
    });

    it('rejects a non-digit type with CODEC_ERR_INVALID_PACKET', () => {
      const result = decodePacket('x');
      assert.ok(result instanceof CodecError);
      assert.equal(result.code, CodecErrorCode.INVALID_PACKET);
    });

    it('rejects invalid base64 after b with CODEC_ERR_INVALID_BASE64', () => {
      const result = decodePacket('b$$$$');
      assert.ok(result instanceof CodecError);
      assert.equal(result.code, CodecErrorCode.INVALID_BASE64);
    });

    it('rejects a value that is neither string nor binary with CODEC_ERR_INVALID_PACKET', () => {
      const result = decodePacket(42 as unknown as string);
      assert.ok(result instanceof CodecError);
      assert.equal(result.code, CodecErrorCode.INVALID_PACKET);
    });
  });

  describe('properties', () => {
    const types: EnginePacketType[] = ['open', 'close', 'ping', 'pong', 'message', 'upgrade', 'noop'];
    const textPacket = fc.record(
      { type: fc.constantFrom(...types), data: fc.string({ minLength: 1, maxLength: 40 }) },
      { noNullPrototype: true },
    );

    it('round-trips text packets', () => {
      fc.assert(
        fc.property(textPacket, (packet) => {
          assert.deepEqual(decodePacket(encodePacket(packet, true)), packet);
        }),
        { numRuns: 300 },
      );
    });

    it('round-trips binary messages with and without binary support', () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 64 }), fc.boolean(), (data, supportsBinary) => {
          const packet: EnginePacket = { type: 'message', data };
          assert.deepEqual(decodePacket(encodePacket(packet, supportsBinary)), packet);
        }),
        { numRuns: 300 },
      );
    });

    it('never throws on random strings or bytes', () => {
      fc.assert(
        fc.property(fc.oneof(fc.string({ maxLength: 40 }), fc.uint8Array({ maxLength: 40 })), (input) => {
          const result = decodePacket(input);
          assert.ok(result instanceof CodecError || typeof result.type === 'string');
        }),
        { numRuns: 400 },
      );
    });
  });
});
