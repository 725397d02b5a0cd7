// Runs the compiler on types.test-d.ts: the typed-events API must accept correct code and reject wrong code.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = join(packageDir, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc');

function runTsc(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [tsc, ...args],
      { timeout: 180_000, cwd: join(packageDir, '..', '..') },
      (err, stdout, stderr) => {
        resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, output: stdout + stderr });
      },
    );
  });
}

/** The type tests read the other packages' (and the CommonJS entry's) built declarations: build them if missing. */
async function ensureBuilt(): Promise<void> {
  if (existsSync(join(packageDir, 'dist', 'index.d.ts'))) return;
  const build = await runTsc(['-b', packageDir]);
  assert.equal(build.code, 0, build.output);
}

test('the typed events API compiles correct uses and rejects every @ts-expect-error line', async () => {
  await ensureBuilt();
  const result = await runTsc(['--noEmit', '-p', join(packageDir, 'tsconfig.typetest.json')]);
  assert.equal(result.code, 0, result.output);
});

test('the CommonJS entry is typed as a callable carrying the named exports', async () => {
  await ensureBuilt();
  const result = await runTsc(['-p', join(packageDir, 'tsconfig.cjs-typetest.json')]);
  assert.equal(result.code, 0, result.output);
});
