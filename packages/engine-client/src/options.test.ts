import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSwitchboardError } from '@switchboard/protocol';
import { resolveOptions } from './options.js';

const both = ['polling', 'websocket'] as const;

describe('resolveOptions', () => {
  it("applies engine.io-client's defaults", () => {
    const resolved = resolveOptions(undefined, {}, both);
    assert.equal(resolved.transport.hostname, 'localhost');
    assert.equal(resolved.transport.port, '80');
    assert.equal(resolved.transport.secure, false);
    assert.equal(resolved.transport.path, '/engine.io/');
    assert.equal(resolved.transport.timestampParam, 't');
    assert.equal(resolved.transport.rejectUnauthorized, true);
    assert.deepEqual(resolved.transports, ['polling', 'websocket']);
    assert.equal(resolved.upgrade, true);
    assert.equal(resolved.rememberUpgrade, false);
  });

  it('takes host, port, security and query from the URI over the options', () => {
    const resolved = resolveOptions('wss://example.com:8443/ignored?a=1', { hostname: 'other', port: 1, query: { b: 2 } }, both);
    assert.equal(resolved.transport.hostname, 'example.com');
    assert.equal(resolved.transport.port, '8443');
    assert.equal(resolved.transport.secure, true);
    assert.equal(resolved.transport.path, '/engine.io/');
    assert.deepEqual(resolved.query, { a: '1' });
  });

  it('defaults the port from the scheme when the URI has none', () => {
    assert.equal(resolveOptions('https://example.com', {}, both).transport.port, '443');
    assert.equal(resolveOptions('http://example.com', {}, both).transport.port, '80');
  });

  it("keeps the options' query when the URI has none, and parses a string query", () => {
    assert.deepEqual(resolveOptions('http://h', { query: { token: 'x' } }, both).query, { token: 'x' });
    assert.deepEqual(resolveOptions(undefined, { query: 'a=1&b=%20' }, both).query, { a: '1', b: ' ' });
  });

  it('uses only the host name of the host option', () => {
    assert.equal(resolveOptions(undefined, { host: 'example.com:9999' }, both).transport.hostname, 'example.com');
  });

  it('normalises the trailing slash of the path', () => {
    assert.equal(resolveOptions(undefined, { path: '/socket.io' }, both).transport.path, '/socket.io/');
    assert.equal(resolveOptions(undefined, { path: '/x/' }, both).transport.path, '/x/');
    assert.equal(resolveOptions(undefined, { path: '/x/', addTrailingSlash: false }, both).transport.path, '/x');
  });

  it('throws EIO_ERR_INVALID_OPTION for a transport the entry point lacks', () => {
    assert.throws(
      () => resolveOptions(undefined, { transports: ['polling'] }, ['websocket']),
      (err: unknown) => isSwitchboardError(err) && err.code === 'EIO_ERR_INVALID_OPTION' && /polling/.test(err.message),
    );
  });

  it('throws EIO_ERR_INVALID_OPTION for an empty transport list', () => {
    assert.throws(
      () => resolveOptions(undefined, { transports: [] }, both),
      (err: unknown) => isSwitchboardError(err) && err.code === 'EIO_ERR_INVALID_OPTION',
    );
  });
});
