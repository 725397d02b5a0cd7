import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseEncoding, matchClientFile } from './serve-client.js';

describe('chooseEncoding', () => {
  it('picks the highest q among br and gzip, ties to the one listed first', () => {
    assert.equal(chooseEncoding('gzip, deflate, br'), 'gzip');
    assert.equal(chooseEncoding('br, gzip'), 'br');
    assert.equal(chooseEncoding('gzip;q=0.5, br'), 'br');
  });

  it('sends no encoding without the header, for identity, or when both are refused', () => {
    assert.equal(chooseEncoding(undefined), 'identity');
    assert.equal(chooseEncoding('identity'), 'identity');
    assert.equal(chooseEncoding('br;q=0, gzip;q=0'), 'identity');
  });

  it('lets a wildcard admit an encoding not listed by name', () => {
    assert.equal(chooseEncoding('*'), 'br');
    assert.equal(chooseEncoding('br;q=0, *'), 'gzip');
  });
});

describe('matchClientFile', () => {
  it('matches the bundle names under the path, ignoring the query, and nothing else', () => {
    assert.equal(matchClientFile('/socket.io/socket.io.min.js?v=1', '/socket.io'), 'socket.io.min.js');
    assert.equal(matchClientFile('/socket.io/socket.io.msgpack.min.js', '/socket.io'), 'socket.io.msgpack.min.js');
    assert.equal(
      matchClientFile('/socket.io/socket.io.msgpack.min.js.map', '/socket.io'),
      'socket.io.msgpack.min.js.map',
    );
    assert.equal(matchClientFile('/socket.io/../secret.js', '/socket.io'), undefined);
    assert.equal(matchClientFile('/other/socket.io.js', '/socket.io'), undefined);
  });
});
