import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CodecError, CodecErrorCode } from '../errors.js';
import { decodePacketV3, decodePayloadV3, encodePacketV3, encodePayloadV3 } from './payload-v3.js';
import type { EnginePacket, EnginePacketType } from './packet.js';

const hex = (bytes: Uint8Array | string): string => Buffer.from(bytes as Uint8Array).toString('hex');

function expectError(result: unknown, code: string): CodecError {
  assert.ok(result instanceof CodecError, 'expected a CodecError');
  assert.equal(result.code, code);
  return result;
}

describe('Engine.IO v3 codec', () => {
  describe('text payload golden vectors', () => {
    it('encodes and decodes 6:4hello4:4€€€ (lengths count UTF-16 code units)', () => {
      const packets: EnginePacket[] = [
        { type: 'message', data: 'hello' },
        { type: 'message', data: '€€€' },
      ];
      assert.equal(encodePayloadV3(packets, false), '6:4hello4:4€€€');
      assert.deepEqual(decodePayloadV3('6:4hello4:4€€€'), packets);
    });

    it('counts a surrogate pair as two units', () => {
      assert.equal(encodePayloadV3([{ type: 'message', data: '😀' }], false), '3:4😀');
    });

    it('encodes a binary message as b4 + base64 in a text payload', () => {
      const packets: EnginePacket[] = [{ type: 'message', data: Uint8Array.of(1, 2, 3) }];
      assert.equal(encodePayloadV3(packets, false), '6:b4AQID');
      assert.deepEqual(decodePayloadV3('6:b4AQID'), packets);
    });

    it('encodes no packets as 0: and decodes 0: as no packets', () => {
      assert.equal(encodePayloadV3([], false), '0:');
      assert.deepEqual(decodePayloadV3('0:'), []);
    });

    it('encodes the open packet with its JSON', () => {
      const open = '{"sid":"abc","upgrades":[],"pingInterval":25000,"pingTimeout":5000}';
      assert.equal(encodePayloadV3([{ type: 'open', data: open }], false), `${open.length + 1}:0${open}`);
    });
  });

  describe('binary payload golden vectors', () => {
    const packets: EnginePacket[] = [
      { type: 'message', data: 'hello' },
      { type: 'message', data: Uint8Array.of(1, 2, 3) },
    ];
    const wire = '0006ff3468656c6c6f0104ff04010203';

    it('encodes 00 06 ff "4hello" 01 04 ff 04 01 02 03', () => {
      assert.equal(hex(encodePayloadV3(packets, true)), wire);
    });

    it('decodes 00 06 ff "4hello" 01 04 ff 04 01 02 03', () => {
      assert.deepEqual(decodePayloadV3(new Uint8Array(Buffer.from(wire, 'hex'))), packets);
    });

    it('counts UTF-8 bytes for string records in the binary form', () => {
      const encoded = encodePayloadV3(
        [
          { type: 'message', data: '€' },
          { type: 'message', data: Uint8Array.of(9) },
        ],
        true,
      );
      assert.equal(hex(encoded), '0004ff34e282ac0102ff0409');
    });

    it('uses the text form when no packet is binary even with binary support', () => {
      assert.equal(encodePayloadV3([{ type: 'message', data: 'x' }], true), '2:4x');
    });

    it('decodes an ArrayBuffer payload', () => {
      const bytes = Buffer.from(wire, 'hex');
      const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
      assert.deepEqual(decodePayloadV3(buffer), packets);
    });
  });

  describe('WebSocket frames', () => {
    it('encodes a binary message as type byte 04 followed by the bytes', () => {
      assert.equal(hex(encodePacketV3({ type: 'message', data: Uint8Array.of(1, 2, 3) }, true)), '04010203');
    });

    it('encodes a binary message as b4 + base64 without binary support', () => {
      assert.equal(encodePacketV3({ type: 'message', data: Uint8Array.of(1, 2, 3) }, false), 'b4AQID');
    });

    it('decodes a binary frame by its leading type byte', () => {
      assert.deepEqual(decodePacketV3(Uint8Array.of(4, 1, 2, 3)), { type: 'message', data: Uint8Array.of(1, 2, 3) });
    });

    it('decodes text frames as v4 does', () => {
      assert.deepEqual(decodePacketV3('2probe'), { type: 'ping', data: 'probe' });
    });

    it('rejects a binary frame whose type byte is unknown with CODEC_ERR_INVALID_PACKET', () => {
      expectError(decodePacketV3(Uint8Array.of(9, 1)), CodecErrorCode.INVALID_PACKET);
    });

    it('rejects b followed by an unknown type with CODEC_ERR_INVALID_PACKET', () => {
      expectError(decodePacketV3('bxAQID'), CodecErrorCode.INVALID_PACKET);
    });
  });

  describe('malformed text payloads', () => {
    it('rejects an empty payload with CODEC_ERR_INVALID_PAYLOAD', () => {
      assert.equal(expectError(decodePayloadV3(''), CodecErrorCode.INVALID_PAYLOAD).message, 'empty payload');
    });

    it('rejects a length that is not decimal with CODEC_ERR_INVALID_PAYLOAD', () => {
      expectError(decodePayloadV3('1x:4'), CodecErrorCode.INVALID_PAYLOAD);
    });

    it('rejects a record without a length with CODEC_ERR_INVALID_PAYLOAD', () => {
      expectError(decodePayloadV3(':4hello'), CodecErrorCode.INVALID_PAYLOAD);
    });

    it('rejects a length without a colon with CODEC_ERR_INVALID_PAYLOAD', () => {
      expectError(decodePayloadV3('12'), CodecErrorCode.INVALID_PAYLOAD);
    });

    it('rejects a record longer than the rest of the payload with CODEC_ERR_INVALID_PAYLOAD', () => {
      const error = expectError(decodePayloadV3('9:4hello'), CodecErrorCode.INVALID_PAYLOAD);
      assert.equal(error.message, 'record of length 9 runs past the payload');
    });

    it('rejects an absurdly long length with CODEC_ERR_INVALID_PAYLOAD', () => {
      expectError(decodePayloadV3('9'.repeat(400) + ':4'), CodecErrorCode.INVALID_PAYLOAD);
    });

    it('rejects an undecodable record with CODEC_ERR_INVALID_PAYLOAD caused by the record error', () => {
      const error = expectError(decodePayloadV3('2:9x'), CodecErrorCode.INVALID_PAYLOAD);
      assert.ok(error.cause instanceof CodecError);
      assert.equal(error.cause.code, CodecErrorCode.INVALID_PACKET);
    });
  });

  describe('malformed binary payloads', () => {
    it('rejects an empty binary payload with CODEC_ERR_INVALID_PAYLOAD', () => {
      expectError(decodePayloadV3(new Uint8Array(0)), CodecErrorCode.INVALID_PAYLOAD);
    });

    it('rejects a record kind other than 00 or 01 with CODEC_ERR_INVALID_PAYLOAD', () => {
      expectError(decodePayloadV3(Buffer.from('0201ff34', 'hex')), CodecErrorCode.INVALID_PAYLOAD);
    });

    it('rejects a length digit byte above 9 with CODEC_ERR_INVALID_PAYLOAD', () => {
      expectError(decodePayloadV3(Buffer.from('000aff34', 'hex')), CodecErrorCode.INVALID_PAYLOAD);
    });

    it('rejects a length that never ends with ff with CODEC_ERR_INVALID_PAYLOAD', () => {
      expectError(decodePayloadV3(Buffer.from('000101', 'hex')), CodecErrorCode.INVALID_PAYLOAD);
    });

    it('rejects a record running past the payload with CODEC_ERR_INVALID_PAYLOAD', () => {
      expectError(decodePayloadV3(Buffer.from('0009ff34', 'hex')), CodecErrorCode.INVALID_PAYLOAD);
    });

    it('rejects an empty binary record with CODEC_ERR_INVALID_PAYLOAD', () => {
      expectError(decodePayloadV3(Buffer.from('0100ff', 'hex')), CodecErrorCode.INVALID_PAYLOAD);
    });
  });

  describe('properties', () => {
    const types: EnginePacketType[] = ['open', 'close', 'ping', 'pong', 'message', 'upgrade', 'noop'];
    const packet: fc.Arbitrary<EnginePacket> = fc.oneof(
      fc.record(
        { type: fc.constantFrom(...types), data: fc.string({ minLength: 1, maxLength: 30, unit: 'grapheme' }) },
        { noNullPrototype: true },
      ),
      fc.record(
        { type: fc.constant('message' as const), data: fc.uint8Array({ maxLength: 30 }) },
        { noNullPrototype: true },
      ),
    );

    it('round-trips packet lists in the text and the binary form', () => {
      fc.assert(
        fc.property(fc.array(packet, { maxLength: 8 }), fc.boolean(), (packets, supportsBinary) => {
          assert.deepEqual(decodePayloadV3(encodePayloadV3(packets, supportsBinary)), packets);
        }),
        { numRuns: 300 },
      );
    });

    it('round-trips WebSocket frames', () => {
      fc.assert(
        fc.property(packet, fc.boolean(), (frame, supportsBinary) => {
          assert.deepEqual(decodePacketV3(encodePacketV3(frame, supportsBinary)), frame);
        }),
        { numRuns: 300 },
      );
    });

    it('never throws on random strings', () => {
      fc.assert(
        fc.property(
          fc.string({ maxLength: 40, unit: fc.constantFrom('1', '2', '9', ':', '4', 'b', 'A', '€') }),
          (input) => {
            const result = decodePayloadV3(input);
            assert.ok(result instanceof CodecError || Array.isArray(result));
          },
        ),
        { numRuns: 400 },
      );
    });

    it('never throws on random bytes', () => {
      const byte = fc.oneof(fc.constantFrom(0, 1, 2, 4, 9, 0xff, 0x34), fc.integer({ min: 0, max: 255 }));
      fc.assert(
        fc.property(fc.array(byte, { maxLength: 40 }), (bytes) => {
          const result = decodePayloadV3(Uint8Array.from(bytes));
          assert.ok(result instanceof CodecError || Array.isArray(result));
        }),
        { numRuns: 400 },
      );
    });
  });
});
