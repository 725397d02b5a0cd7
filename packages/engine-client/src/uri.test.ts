import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeQuery, encodeQuery, parseUri } from './uri.js';

describe('parseUri', () => {
  it('splits a full ws URI into scheme, host, port, path and query', () => {
    assert.deepEqual(parseUri('ws://example.com:8080/chat/room?x=1&y=2'), {
      protocol: 'ws',
      hostname: 'example.com',
      port: '8080',
      path: '/chat/room',
      query: 'x=1&y=2',
      secure: false,
    });
  });

  it('marks https and wss URIs secure, case-insensitively', () => {
    assert.equal(parseUri('https://example.com').secure, true);
    assert.equal(parseUri('WSS://example.com').secure, true);
    assert.equal(parseUri('WSS://example.com').protocol, 'wss');
    assert.equal(parseUri('http://example.com').secure, false);
  });

  it("reads 'localhost:3000' as host and port, not as a scheme", () => {
    const uri = parseUri('localhost:3000/admin');
    assert.equal(uri.protocol, '');
    assert.equal(uri.hostname, 'localhost');
    assert.equal(uri.port, '3000');
    assert.equal(uri.path, '/admin');
  });

  it('strips the brackets of an IPv6 host', () => {
    const uri = parseUri('http://[::1]:3000/');
    assert.equal(uri.hostname, '::1');
    assert.equal(uri.port, '3000');
    assert.equal(uri.path, '/');
  });

  it('ignores user info and the fragment', () => {
    const uri = parseUri('http://user:pass@example.com/p?q=1#frag');
    assert.equal(uri.hostname, 'example.com');
    assert.equal(uri.path, '/p');
    assert.equal(uri.query, 'q=1');
  });

  it('leaves the host empty for a relative path', () => {
    const uri = parseUri('/nsp?token=a');
    assert.equal(uri.hostname, '');
    assert.equal(uri.path, '/nsp');
    assert.equal(uri.query, 'token=a');
  });

  it('reads a protocol-relative URI', () => {
    const uri = parseUri('//cdn.example.com:444/x');
    assert.equal(uri.protocol, '');
    assert.equal(uri.hostname, 'cdn.example.com');
    assert.equal(uri.port, '444');
  });

  it('returns empty parts for an empty string', () => {
    assert.deepEqual(parseUri(''), { protocol: '', hostname: '', port: '', path: '', query: '', secure: false });
  });
});

describe('encodeQuery and decodeQuery', () => {
  it('percent-encodes keys and values and skips undefined values', () => {
    assert.equal(encodeQuery({ a: 1, 'b c': 'x&y=z', skip: undefined, t: true }), 'a=1&b%20c=x%26y%3Dz&t=true');
  });

  it('decodes what it encodes', () => {
    const query = { token: 'é/ü?&=', EIO: '4' };
    assert.deepEqual(decodeQuery(encodeQuery(query)), query);
  });

  it('reads a key without a value as an empty string and skips empty pairs', () => {
    assert.deepEqual(decodeQuery('a&&b=2&'), { a: '', b: '2' });
  });
});
