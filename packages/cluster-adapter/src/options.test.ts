// The node:cluster adapter's misuse errors: thrown at once, with the kit's codes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createAdapter, setupPrimary } from './index.js';

test('createAdapter refuses a negative requestsTimeout, naming it', () => {
  assert.throws(() => createAdapter({ requestsTimeout: -1 }), {
    code: 'ADAPTER_ERR_INVALID_OPTION',
    message: /requestsTimeout/,
  });
});

test('setupPrimary returns a function that stops relaying when run in the primary', () => {
  const stop = setupPrimary({ advancedSerialization: false });
  assert.equal(typeof stop, 'function');
  stop();
});
