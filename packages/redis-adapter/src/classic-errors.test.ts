// The classic Redis adapter raises the kit's AdapterError; its former names are the same class and codes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AdapterError, AdapterErrorCode } from '@switchboard/adapter';
import { isSwitchboardError } from '@switchboard/protocol';
import { createAdapter, RedisAdapterError, RedisAdapterErrorCode } from './index.js';

test("RedisAdapterError and RedisAdapterErrorCode are the kit's AdapterError and AdapterErrorCode", () => {
  assert.equal(RedisAdapterError, AdapterError);
  assert.equal(RedisAdapterErrorCode, AdapterErrorCode);
});

test('createAdapter rejects a client of no supported library with an AdapterError coded ADAPTER_ERR_UNSUPPORTED_CLIENT', () => {
  const notAClient = {} as Parameters<typeof createAdapter>[0];
  assert.throws(
    () => createAdapter(notAClient, notAClient),
    (err: unknown) =>
      isSwitchboardError(err) && err instanceof AdapterError && err.code === 'ADAPTER_ERR_UNSUPPORTED_CLIENT',
  );
});
