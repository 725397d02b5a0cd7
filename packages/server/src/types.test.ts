// Runs the compiler on types.test-d.ts: the typed-events API must accept correct code and reject wrong code.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = join(packageDir, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc');

test('the typed events API compiles correct uses and rejects every @ts-expect-error line', async () => {
  const result = await new Promise<{ code: number | null; output: string }>((resolve) => {
    execFile(process.execPath, [tsc, '--noEmit', '-p', join(packageDir, 'tsconfig.typetest.json')], { timeout: 180_000 }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, output: stdout + stderr });
    });
  });
  assert.equal(result.code, 0, result.output);
});
