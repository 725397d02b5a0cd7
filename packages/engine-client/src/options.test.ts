import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSwitchboardError } from '@switchboard/protocol';
import { resolveOptions } from './options.js';

const both = ['polling', 'websocket'] as const;

describe('resolveOptions', () => {
  it("applies engine.io-client's defaults for host, port, path and transports", () => {
    const resolved = resolveOptions(undefined, {}, both);
    assert.equal(resolved.hostname, 'localhost');
    assert.equal(resolved.port, '80');
    assert.equal(resolved.secure, false);
    assert.equal(resolved.path, '/engine.io/');
    assert.deepEqual(resolved.transports, ['polling', 'websocket']);
    assert.deepEqual(resolved.query, {});
  });

  it('takes host, port, security and query from the URI over the options', () => {
    const resolved = resolveOptions(
      'wss://example.com:8443/ignored?a=1',
      { hostname: 'other', port: 1, query: { b: 2 } },
      both,
    );
    assert.equal(resolved.hostname, 'example.com');
    assert.equal(resolved.port, '8443');
    assert.equal(resolved.secure, true);
    assert.equal(resolved.path, '/engine.io/');
    assert.deepEqual(resolved.query, { a: '1' });
  });

  it('defaults the port from the scheme when the URI has none', () => {
    assert.equal(resolveOptions('https://example.com', {}, both).port, '443');
    assert.equal(resolveOptions('http://example.com', {}, both).port, '80');
  });

  it("keeps the options' query when the URI has none, and parses a string query", () => {
    assert.deepEqual(resolveOptions('http://h', { query: { token: 'x' } }, both).query, { token: 'x' });
    assert.deepEqual(resolveOptions(undefined, { query: 'a=1&b=%20' }, both).query, { a: '1', b: ' ' });
  });

  it('passes the other options through untouched', () => {
    const agent = {};
    const resolved = resolveOptions(undefined, { agent, upgrade: false, extraHeaders: { a: 'b' } }, both);
    assert.equal(resolved.agent, agent);
    assert.equal(resolved.upgrade, false);
    assert.deepEqual(resolved.extraHeaders, { a: 'b' });
  });

  it('uses only the host name of the host option', () => {
    assert.equal(resolveOptions(undefined, { host: 'example.com:9999' }, both).hostname, 'example.com');
  });

  it('normalises the trailing slash of the path', () => {
    assert.equal(resolveOptions(undefined, { path: '/socket.io' }, both).path, '/socket.io/');
    assert.equal(resolveOptions(undefined, { path: '/x/' }, both).path, '/x/');
    assert.equal(resolveOptions(undefined, { path: '/x/', addTrailingSlash: false }, both).path, '/x');
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
