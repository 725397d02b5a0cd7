// No package imports itself in a ring at run time: every packages/*/src is walked with madge and each value-import
// cycle is listed. Type-only imports are skipped (they vanish from the JavaScript), so only loops that decide
// module evaluation order fail here.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import madge from 'madge';

const root = fileURLToPath(new URL('../..', import.meta.url));
const packagesDir = join(root, 'packages');

const packages = readdirSync(packagesDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(packagesDir, entry.name, 'src')))
  .map((entry) => entry.name)
  .sort();

async function findCycles(srcDir: string): Promise<string[][]> {
  const graph = await madge(srcDir, {
    fileExtensions: ['ts', 'tsx'],
    excludeRegExp: [/\.test\.ts$/, /\.test-d\.c?ts$/],
    detectiveOptions: { ts: { skipTypeImports: true }, tsx: { skipTypeImports: true } },
  });
  // `.js` specifiers must resolve to the `.ts` sources, or every import would be dropped and no cycle ever found.
  const edges = Object.values(graph.obj()).reduce((count, deps) => count + deps.length, 0);
  assert.ok(Object.keys(graph.obj()).length < 2 || edges > 0, `madge resolved no import in ${srcDir}`);
  // A module importing its own namespace (server's index.ts builds its CommonJS callable from `import * as api`)
  // is not a loop between modules: its exports are all bound before its body runs.
  return graph.circular().filter((cycle) => cycle.length > 1);
}

describe('import cycles', () => {
  it('finds the packages to check', () => {
    assert.ok(packages.includes('server') && packages.includes('protocol'), `packages found: ${packages.join(', ')}`);
  });

  for (const name of packages) {
    it(`packages/${name}/src has no value-import cycle`, async () => {
      const cycles = await findCycles(join(packagesDir, name, 'src'));
      assert.deepEqual(
        cycles.map((cycle) => cycle.join(' -> ')),
        [],
        `packages/${name}/src imports in a ring:\n${cycles.map((cycle) => `  ${[...cycle, cycle[0]].join(' -> ')}`).join('\n')}`,
      );
    });
  }
});
