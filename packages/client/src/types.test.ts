import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = fileURLToPath(new URL('..', import.meta.url));
const tsc = fileURLToPath(new URL('../../../node_modules/typescript/bin/tsc', import.meta.url));

test(
  'the typed event API compiles, and every @ts-expect-error in typed-events.test-d.ts is a real type error',
  { timeout: 120_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-client-types-'));
    try {
      const config = join(dir, 'tsconfig.json');
      writeFileSync(
        config,
        JSON.stringify({
          extends: join(pkg, '../../tsconfig.base.json'),
          compilerOptions: {
            noEmit: true,
            composite: false,
            incremental: false,
            declaration: false,
            declarationMap: false,
            lib: ['ES2022', 'DOM'],
            types: ['node'],
            typeRoots: [join(pkg, '../../node_modules/@types')],
            // Resolve the workspace packages to their sources, so no build is needed.
            customConditions: ['switchboard-source'],
          },
          files: [join(pkg, 'src/typed-events.test-d.ts')],
        }),
      );
      const output = await new Promise<string>((resolve) => {
        execFile(process.execPath, [tsc, '-p', config], { cwd: pkg }, (_err, stdout, stderr) =>
          resolve(stdout + stderr),
        );
      });
      assert.equal(output.trim(), '', output);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
