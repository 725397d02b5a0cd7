import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CodecError, CodecErrorCode } from '../errors.js';
import { decodePayload, encodePayload } from './payload.js';
import type { EnginePacket, EnginePacketType } from './packet.js';

describe('Engine.IO v4 polling payload codec', () => {
  describe('golden vectors', () => {
    it('encodes and decodes 4hello\\x1e4world\\x1ebAQID', () => {
      const packets: EnginePacket[] = [
        { type: 'message', data: 'hello' },
        { type: 'message', data: 'world' },
        { type: 'message', data: Uint8Array.of(1, 2, 3) },
      ];
      assert.equal(encodePayload(packets), '4hello\x1e4world\x1ebAQID');
      assert.deepEqual(decodePayload('4hello\x1e4world\x1ebAQID'), packets);
    });

    it('encodes and decodes control packets without data', () => {
      const packets: EnginePacket[] = [
        { type: 'ping', data: 'probe' },
        { type: 'message', data: 'test' },
        { type: 'close' },
      ];
      assert.equal(encodePayload(packets), '2probe\x1e4test\x1e1');
      assert.deepEqual(decodePayload('2probe\x1e4test\x1e1'), packets);
    });

    it('encodes a single packet without a separator', () => {
      assert.equal(encodePayload([{ type: 'noop' }]), '6');
    });

    it('encodes an ArrayBuffer message as b + base64', () => {
      const data = Uint8Array.of(1, 2, 3).buffer as unknown as Uint8Array;
      assert.equal(encodePayload([{ type: 'message', data }]), 'bAQID');
    });
  });

  describe('malformed input', () => {
    it('rejects an empty payload with CODEC_ERR_INVALID_PAYLOAD', () => {
      const result = decodePayload('');
      assert.ok(result instanceof CodecError);
      assert.equal(result.code, CodecErrorCode.INVALID_PAYLOAD);
      assert.equal(result.message, 'packet 0: empty packet');
    });

    it('rejects an empty record between separators with CODEC_ERR_INVALID_PAYLOAD', () => {
      const result = decodePayload('4a\x1e\x1e4b');
      assert.ok(result instanceof CodecError);
      assert.equal(result.code, CodecErrorCode.INVALID_PAYLOAD);
    });

    it('rejects an undecodable record and keeps the record error as cause', () => {
      const result = decodePayload('4a\x1e9b');
      assert.ok(result instanceof CodecError);
      assert.equal(result.code, CodecErrorCode.INVALID_PAYLOAD);
      assert.ok(result.cause instanceof CodecError);
      assert.equal(result.cause.code, CodecErrorCode.INVALID_PACKET);
    });

    it('rejects more packets than maxPackets with CODEC_ERR_INVALID_PAYLOAD', () => {
      const result = decodePayload('6\x1e6\x1e6', { maxPackets: 2 });
      assert.ok(result instanceof CodecError);
      assert.equal(result.code, CodecErrorCode.INVALID_PAYLOAD);
      assert.equal(result.message, 'more than 2 packets');
    });

    it('rejects a payload that is not a string with CODEC_ERR_INVALID_PAYLOAD', () => {
      const result = decodePayload(Uint8Array.of(52) as unknown as string);
      assert.ok(result instanceof CodecError);
      assert.equal(result.code, CodecErrorCode.INVALID_PAYLOAD);
    });
  });

  describe('properties', () => {
    const types: EnginePacketType[] = ['open', 'close', 'ping', 'pong', 'message', 'upgrade', 'noop'];
    // Payload text may not hold the separator itself; JSON never does unescaped.
    const text = fc.string({ minLength: 1, maxLength: 30 }).filter((s) => !s.includes('\x1e'));
    const packet: fc.Arbitrary<EnginePacket> = fc.oneof(
      fc.record({ type: fc.constantFrom(...types), data: text }, { noNullPrototype: true }),
      fc.record(
        { type: fc.constant('message' as const), data: fc.uint8Array({ maxLength: 30 }) },
        { noNullPrototype: true },
      ),
    );

    it('round-trips lists of packets', () => {
      fc.assert(
        fc.property(fc.array(packet, { minLength: 1, maxLength: 8 }), (packets) => {
          assert.deepEqual(decodePayload(encodePayload(packets)), packets);
        }),
        { numRuns: 300 },
      );
    });

    it('never throws on random strings', () => {
      fc.assert(
        fc.property(
          fc.string({ maxLength: 60, unit: fc.constantFrom('4', 'b', '\x1e', 'A', '=', '9', 'é') }),
          (input) => {
            const result = decodePayload(input);
            assert.ok(result instanceof CodecError || Array.isArray(result));
          },
        ),
        { numRuns: 400 },
      );
    });
  });
});
