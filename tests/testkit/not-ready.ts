// How a suite reports a cell whose implementation cannot run (a missing export or build): one failing test that
// names the reason, so it is never mistaken for a pass nor lost as a skip.
import assert from 'node:assert/strict';
import { it } from 'node:test';

/** Registers one test that fails with `reason`; call it where the cell's tests would have been declared. */
export function failNotReady(reason: string, what = 'runs this cell'): void {
  it(what, () => {
    assert.fail(`not ready: ${reason}`);
  });
}
