import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EventEmitter } from 'node:events';
import * as ws from 'ws';
import { encodeFrame } from './frame.js';

// ws exports its frame parser at runtime; its type declarations leave it out.
const { Receiver } = ws as unknown as {
  Receiver: new (options: { isServer: boolean }) => EventEmitter & { write(chunk: Buffer): void };
};

/** Decodes `frame` with ws's own (client-side) receiver, the reference for what a peer accepts. */
function receive(frame: Buffer): Promise<{ data: Buffer; isBinary: boolean }> {
  return new Promise((resolve, reject) => {
    const receiver = new Receiver({ isServer: false });
    receiver.on('message', (data: Buffer, isBinary: boolean) => resolve({ data, isBinary }));
    receiver.on('error', reject);
    receiver.write(frame);
  });
}

describe('encodeFrame', () => {
  it('frames short text with the 7-bit length', () => {
    assert.equal(encodeFrame('4hi').toString('hex'), '8103346869');
  });

  it('frames bytes as a binary frame', () => {
    assert.equal(encodeFrame(new Uint8Array([1, 2, 3])).toString('hex'), '8203010203');
  });

  it('uses the 16-bit length from 126 bytes', () => {
    assert.equal(encodeFrame('x'.repeat(126)).subarray(0, 4).toString('hex'), '817e007e');
  });

  it('uses the 64-bit length from 65536 bytes', () => {
    assert.equal(encodeFrame(new Uint8Array(65536)).subarray(0, 10).toString('hex'), '827f0000000000010000');
  });

  it('counts UTF-8 bytes, not characters, and round-trips through ws’s receiver', async () => {
    for (const text of ['4é', `4${'ü'.repeat(100)}`, `4${'a'.repeat(70_000)}`]) {
      const { data, isBinary } = await receive(encodeFrame(text));
      assert.equal(isBinary, false);
      assert.equal(data.toString('utf8'), text);
    }
  });
});
