import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { HandshakeRequest, parseQuery } from './handshake-request.js';

function fakeRequest(url: string): IncomingMessage {
  return {
    url,
    method: 'GET',
    headers: { host: 'x' },
    socket: { remoteAddress: '10.0.0.1' },
  } as unknown as IncomingMessage;
}

describe('request query parsing', () => {
  it('reads the Engine.IO parameters', () => {
    assert.deepEqual(
      { ...parseQuery(fakeRequest('/engine.io/?EIO=4&transport=polling&t=N8hyd6w')) },
      {
        EIO: '4',
        transport: 'polling',
        t: 'N8hyd6w',
      },
    );
  });

  it('decodes as URLSearchParams does, for any query string', () => {
    fc.assert(
      // Characters a request target can carry (Node's HTTP parser refuses spaces and controls), escapes included.
      fc.property(
        fc.string({ unit: fc.constantFrom('a', 'B', '0', '2', 'F', '=', '&', '+', '%', '?', '-', '_', '.', '~') }),
        (search) => {
          const target = `/p?${search}`;
          const expected = Object.fromEntries(new URL(target, 'http://localhost').searchParams);
          const actual = { ...parseQuery(fakeRequest(target)) };
          assert.deepEqual(actual, expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps a __proto__ parameter as a plain key', () => {
    const query = parseQuery(fakeRequest('/p?__proto__=x&a=1'));
    assert.equal(Object.getPrototypeOf(query), Object.prototype);
    assert.equal(query['__proto__'], 'x');
  });

  it('ignores the fragment', () => {
    assert.deepEqual({ ...parseQuery(fakeRequest('/p?a=1#b=2')) }, { a: '1' });
  });
});

describe('HandshakeRequest', () => {
  it('exposes headers, url, method, query and the peer address through connection and socket', () => {
    const record = new HandshakeRequest(fakeRequest('/engine.io/?EIO=4&token=a%20b'));
    assert.equal(record.headers['host'], 'x');
    assert.equal(record.method, 'GET');
    assert.equal(record._query['token'], 'a b');
    assert.equal(record.connection.remoteAddress, '10.0.0.1');
    assert.equal(record.socket.remoteAddress, '10.0.0.1');
    assert.equal(record.encrypted, false);
  });
});
