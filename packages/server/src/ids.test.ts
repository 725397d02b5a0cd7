// Unit tests of id generation.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createId } from './ids.js';

test('ids are 20 URL-safe characters and do not repeat across pool refills', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 1000; i++) {
    const id = createId();
    assert.match(id, /^[A-Za-z0-9_-]{20}$/);
    seen.add(id);
  }
  assert.equal(seen.size, 1000);
});
