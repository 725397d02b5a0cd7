import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Encoder } from './encoder.js';
import { PacketType, type Packet } from './packet.js';

const encoder = new Encoder();

describe('Socket.IO encoder', () => {
  describe('golden vectors', () => {
    const vectors: Array<[Packet, string]> = [
      [{ type: PacketType.EVENT, nsp: '/', data: ['ev', 1] }, '2["ev",1]'],
      [{ type: PacketType.ACK, nsp: '/admin', id: 13, data: ['bar'] }, '3/admin,13["bar"]'],
      [{ type: PacketType.CONNECT, nsp: '/', data: { token: 'x' } }, '0{"token":"x"}'],
      [{ type: PacketType.CONNECT, nsp: '/custom', data: { token: 'x' } }, '0/custom,{"token":"x"}'],
      [{ type: PacketType.CONNECT, nsp: '/' }, '0'],
      [{ type: PacketType.CONNECT, nsp: '/', data: { sid: 'abc' } }, '0{"sid":"abc"}'],
      [{ type: PacketType.DISCONNECT, nsp: '/' }, '1'],
      [{ type: PacketType.DISCONNECT, nsp: '/nsp' }, '1/nsp,'],
      [{ type: PacketType.EVENT, nsp: '/', id: 12, data: ['ev'] }, '212["ev"]'],
      [{ type: PacketType.EVENT, nsp: '/chat', id: 0, data: ['ev'] }, '2/chat,0["ev"]'],
      [{ type: PacketType.ACK, nsp: '/', id: 7, data: [] }, '37[]'],
      [
        { type: PacketType.CONNECT_ERROR, nsp: '/random', data: { message: 'Invalid namespace' } },
        '4/random,{"message":"Invalid namespace"}',
      ],
      [
        { type: PacketType.CONNECT_ERROR, nsp: '/', data: { message: 'denied', data: { reason: 'x' } } },
        '4{"message":"denied","data":{"reason":"x"}}',
      ],
    ];
    for (const [packet, wire] of vectors) {
      it(`encodes ${wire}`, () => {
        assert.deepEqual(encoder.encode(packet), [wire]);
      });
    }
  });

  describe('binary', () => {
    it('encodes an event with a buffer as 51-["ev",{"_placeholder":true,"num":0}] plus the bytes', () => {
      const bytes = Uint8Array.of(1, 2, 3);
      assert.deepEqual(encoder.encode({ type: PacketType.EVENT, nsp: '/', data: ['ev', bytes] }), [
        '51-["ev",{"_placeholder":true,"num":0}]',
        bytes,
      ]);
    });

    it('encodes an ack with binary as 61-/admin,789[...] plus the bytes', () => {
      const bytes = Buffer.from([4]);
      assert.deepEqual(encoder.encode({ type: PacketType.ACK, nsp: '/admin', id: 789, data: [{ file: bytes }] }), [
        '61-/admin,789[{"file":{"_placeholder":true,"num":0}}]',
        bytes,
      ]);
    });

    it('numbers nested attachments depth-first in order', () => {
      const a = Uint8Array.of(1);
      const b = Uint8Array.of(2);
      const c = Uint8Array.of(3);
      assert.deepEqual(encoder.encode({ type: PacketType.EVENT, nsp: '/', data: ['ev', { x: [a, { y: b }] }, c] }), [
        '53-["ev",{"x":[{"_placeholder":true,"num":0},{"y":{"_placeholder":true,"num":1}}]},{"_placeholder":true,"num":2}]',
        a,
        b,
        c,
      ]);
    });

    it('sends an ArrayBuffer attachment as a Uint8Array of its bytes', () => {
      const [, attachment] = encoder.encode({
        type: PacketType.EVENT,
        nsp: '/',
        data: ['ev', Uint8Array.of(5, 6).buffer],
      });
      assert.deepEqual(attachment, Uint8Array.of(5, 6));
    });

    it('sends another ArrayBufferView as a Uint8Array over exactly its bytes', () => {
      const view = new DataView(Uint8Array.of(0, 1, 2, 3).buffer, 1, 2);
      const [, attachment] = encoder.encode({ type: PacketType.EVENT, nsp: '/', data: ['ev', view] });
      assert.deepEqual(attachment, Uint8Array.of(1, 2));
    });

    it('does not modify the data it was given', () => {
      const data = ['ev', { bytes: Uint8Array.of(1) }];
      encoder.encode({ type: PacketType.EVENT, nsp: '/', data });
      assert.ok((data[1] as { bytes: unknown }).bytes instanceof Uint8Array);
    });

    it('encodes an explicit BINARY_EVENT without binary with zero attachments', () => {
      assert.deepEqual(encoder.encode({ type: PacketType.BINARY_EVENT, nsp: '/', data: ['ev'] }), ['50-["ev"]']);
    });

    it('sends what toJSON returns, finding binary inside it', () => {
      const bytes = Uint8Array.of(7);
      const wrapper = { toJSON: () => ({ inner: bytes }) };
      assert.deepEqual(encoder.encode({ type: PacketType.EVENT, nsp: '/', data: ['ev', wrapper, new Date(0)] }), [
        '51-["ev",{"inner":{"_placeholder":true,"num":0}},"1970-01-01T00:00:00.000Z"]',
        bytes,
      ]);
    });

    it('keeps a Date as its JSON string in a text packet', () => {
      assert.deepEqual(encoder.encode({ type: PacketType.EVENT, nsp: '/', data: ['ev', new Date(0)] }), [
        '2["ev","1970-01-01T00:00:00.000Z"]',
      ]);
    });
  });
});
