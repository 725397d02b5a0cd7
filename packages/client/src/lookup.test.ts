import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseUrl } from './lookup.js';

const page = { protocol: 'https:', host: 'app.example.com:8443' };

test('keys the Manager cache by scheme, host, port and engine path, not by namespace', () => {
  const a = parseUrl('http://localhost:3000/admin', '/socket.io');
  const b = parseUrl('http://localhost:3000/', '/socket.io');
  assert.equal(a.id, 'http://localhost:3000/socket.io');
  assert.equal(a.id, b.id);
  assert.equal(a.nsp, '/admin');
  assert.equal(b.nsp, '/');
});

test('fills in the default port of the scheme', () => {
  assert.equal(parseUrl('https://example.com', '/socket.io').id, 'https://example.com:443/socket.io');
  assert.equal(parseUrl('ws://example.com/chat', '/io').id, 'ws://example.com:80/io');
});

test('keeps the query in the source handed to the engine and out of the namespace', () => {
  const parsed = parseUrl('http://localhost:3000/chat?token=abc&x=1', '/socket.io');
  assert.equal(parsed.source, 'http://localhost:3000?token=abc&x=1');
  assert.equal(parsed.nsp, '/chat');
});

test('resolves a missing URI to the page origin in browsers', () => {
  const parsed = parseUrl(undefined, '/socket.io', page);
  assert.equal(parsed.source, 'https://app.example.com:8443');
  assert.equal(parsed.nsp, '/');
});

test('resolves a path-only URI against the page host, and a protocol-relative one against its scheme', () => {
  assert.equal(parseUrl('/admin', '/socket.io', page).source, 'https://app.example.com:8443');
  assert.equal(parseUrl('/admin', '/socket.io', page).nsp, '/admin');
  assert.equal(parseUrl('//other.example.com/x', '/socket.io', page).source, 'https://other.example.com');
});

test('adds https:// to a scheme-less host outside browsers', () => {
  assert.equal(parseUrl('example.com:3000/chat', '/socket.io').source, 'https://example.com:3000');
});

test('keeps the brackets of an IPv6 host', () => {
  assert.equal(parseUrl('http://[::1]:3000', '/socket.io').id, 'http://[::1]:3000/socket.io');
});
