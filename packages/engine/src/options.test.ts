import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSwitchboardError } from '@switchboard/protocol';
import { computePath, resolveOptions } from './options.js';
import type { ServerOptions } from './options.js';

function assertRejected(options: ServerOptions, name: string): void {
  assert.throws(
    () => resolveOptions(options),
    (error: unknown) =>
      isSwitchboardError(error) && error.code === 'EIO_ERR_INVALID_OPTION' && error.message.includes(`"${name}"`),
  );
}

describe('server options', () => {
  it('default to engine.io v6’s values', () => {
    const options = resolveOptions({});
    assert.equal(options.pingInterval, 25_000);
    assert.equal(options.pingTimeout, 20_000);
    assert.equal(options.upgradeTimeout, 10_000);
    assert.equal(options.maxHttpBufferSize, 1e6);
    assert.deepEqual(options.transports, ['polling', 'websocket']);
    assert.equal(options.allowUpgrades, true);
    assert.equal(options.perMessageDeflate, false);
    assert.deepEqual(options.httpCompression, { threshold: 1024 });
    assert.equal(options.cookie, false);
    assert.equal(options.cors, false);
    assert.equal(options.allowEIO3, false);
  });

  it('bound what a connection buffers to 4 MiB for 10 s by default', () => {
    const options = resolveOptions({});
    assert.deepEqual([options.maxBufferedBytes, options.bufferFullTimeout], [4 * 1024 * 1024, 10_000]);
  });

  it('allow 10000 packets per polling payload by default and reject fewer than one, naming the option', () => {
    assert.equal(resolveOptions({}).maxPacketsPerPayload, 10_000);
    assertRejected({ maxPacketsPerPayload: 0 }, 'maxPacketsPerPayload');
  });

  it('reject a maxBufferedBytes under 65536, naming it', () => {
    assertRejected({ maxBufferedBytes: 1000 }, 'maxBufferedBytes');
  });

  it('reject a non-positive bufferFullTimeout, naming it', () => {
    assertRejected({ bufferFullTimeout: 0 }, 'bufferFullTimeout');
  });

  it('turn cookie: true into the io cookie with engine.io’s attributes', () => {
    assert.deepEqual(resolveOptions({ cookie: true }).cookie, {
      name: 'io',
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
    });
  });

  it('give permessage-deflate a 1024-byte threshold when enabled', () => {
    assert.deepEqual(resolveOptions({ perMessageDeflate: true }).perMessageDeflate, { threshold: 1024 });
  });

  it('reject a non-positive pingInterval, naming it', () => {
    assertRejected({ pingInterval: 0 }, 'pingInterval');
  });

  it('reject a non-finite maxHttpBufferSize, naming it', () => {
    assertRejected({ maxHttpBufferSize: Number.POSITIVE_INFINITY }, 'maxHttpBufferSize');
  });

  it('reject an unknown transport, naming the option', () => {
    assertRejected({ transports: ['polling', 'carrier-pigeon' as 'polling'] }, 'transports');
  });

  it('reject an empty transports list', () => {
    assertRejected({ transports: [] }, 'transports');
  });

  it('reject an allowRequest that is not a function', () => {
    assertRejected({ allowRequest: 'yes' as unknown as NonNullable<ServerOptions['allowRequest']> }, 'allowRequest');
  });

  it('compute the path with a trailing slash unless addTrailingSlash is false', () => {
    assert.equal(computePath({}), '/engine.io/');
    assert.equal(computePath({ path: '/custom/' }), '/custom/');
    assert.equal(computePath({ path: '/custom', addTrailingSlash: false }), '/custom');
  });
});
