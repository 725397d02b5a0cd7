import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hasBinary } from './binary.js';

describe('hasBinary', () => {
  it('is false for primitives, plain objects and arrays without binary', () => {
    assert.equal(hasBinary(undefined), false);
    assert.equal(hasBinary('text'), false);
    assert.equal(hasBinary(['ev', { a: [1, null, { b: 'c' }] }]), false);
  });

  it('finds a Uint8Array at any depth', () => {
    assert.equal(hasBinary(['ev', { a: [1, { b: Uint8Array.of(1) }] }]), true);
  });

  it('finds an ArrayBuffer, a Node Buffer and a DataView', () => {
    assert.equal(hasBinary([new ArrayBuffer(1)]), true);
    assert.equal(hasBinary({ b: Buffer.alloc(1) }), true);
    assert.equal(hasBinary({ v: new DataView(new ArrayBuffer(1)) }), true);
  });

  it('finds a Blob and a File when the globals exist', () => {
    assert.equal(hasBinary([new Blob(['x'])]), true);
    assert.equal(hasBinary({ file: new File(['x'], 'x.txt') }), true);
  });

  it('looks into what toJSON returns', () => {
    assert.equal(hasBinary({ toJSON: () => ({ b: Uint8Array.of(1) }) }), true);
    assert.equal(hasBinary(new Date()), false);
  });

  it('ignores inherited properties', () => {
    const proto = { inherited: Uint8Array.of(1) };
    assert.equal(hasBinary(Object.create(proto) as object), false);
  });
});
