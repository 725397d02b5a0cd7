import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { callUserCode } from './user-code.js';

describe('callUserCode', () => {
  it('returns what the function returns, called with the given this and arguments', () => {
    const self = { base: 40 };
    const result = callUserCode(
      function (this: typeof self, a: number, b: number) {
        return this.base + a + b;
      },
      self,
      [1, 1],
    );
    assert.equal(result, 42);
  });

  it('returns undefined to the caller when the function throws, and rethrows the exception from a microtask', (t) => {
    const scheduled: (() => void)[] = [];
    t.mock.method(globalThis, 'queueMicrotask', (task: () => void) => scheduled.push(task));
    const bug = new Error('application bug');
    const result = callUserCode(
      () => {
        throw bug;
      },
      undefined,
      [],
    );
    assert.equal(result, undefined);
    assert.equal(scheduled.length, 1);
    assert.throws(
      () => scheduled[0]?.(),
      (err) => err === bug,
    );
  });

  it('surfaces the exception as uncaught in a real process', async () => {
    const { execFile } = await import('node:child_process');
    const script = `
      const { callUserCode } = await import(${JSON.stringify(new URL('./user-code.ts', import.meta.url).href)});
      process.on('uncaughtException', (err) => { console.log('uncaught:' + err.message); });
      callUserCode(() => { throw new Error('boom'); }, undefined, []);
      console.log('caller continued');
    `;
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', script],
        { timeout: 15_000 },
        (err, out) => (err ? reject(err) : resolve(out)),
      );
    });
    assert.deepEqual(stdout.trim().split('\n'), ['caller continued', 'uncaught:boom']);
  });
});
