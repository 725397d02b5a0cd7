// What a consumer of the published packages gets: each workspace loads from its built dist/ through both `import`
// and `require()`, declares its types where package.json says, and the server's production dependencies are `ws`
// and a few small packages, with no type package among them. `npm test` builds before it runs this file.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

interface Manifest {
  name: string;
  types?: string;
  dependencies?: Record<string, string>;
  exports?: Record<string, unknown>;
}

/** Each workspace and an export a working build must have. */
const PACKAGES = [
  { folder: 'protocol', name: '@switchboard/protocol', member: 'Encoder' },
  { folder: 'engine', name: '@switchboard/engine', member: 'Server' },
  { folder: 'engine-client', name: '@switchboard/engine-client', member: 'Socket' },
  { folder: 'server', name: '@switchboard/server', member: 'Server' },
  { folder: 'client', name: '@switchboard/client', member: 'Manager' },
  { folder: 'admin', name: '@switchboard/admin', member: 'instrument' },
  { folder: 'adapter', name: '@switchboard/adapter', member: 'ClusterAdapter' },
  { folder: 'redis-adapter', name: '@switchboard/redis-adapter', member: 'createShardedAdapter' },
  { folder: 'redis-emitter', name: '@switchboard/redis-emitter', member: 'Emitter' },
  { folder: 'redis-streams-adapter', name: '@switchboard/redis-streams-adapter', member: 'createAdapter' },
  { folder: 'cluster-adapter', name: '@switchboard/cluster-adapter', member: 'createAdapter' },
  { folder: 'sticky', name: '@switchboard/sticky', member: 'setupMaster' },
  { folder: 'postgres-adapter', name: '@switchboard/postgres-adapter', member: 'createAdapter' },
  { folder: 'postgres-emitter', name: '@switchboard/postgres-emitter', member: 'Emitter' },
] as const;

function readManifest(path: string): Manifest {
  return JSON.parse(readFileSync(path, 'utf8')) as Manifest;
}

/** Runs a script in a plain Node process: no `switchboard-source` condition, so dist/ is what loads. */
function node(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd: root, timeout: 20_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stderr}`));
      else resolve(stdout.trim());
    });
  });
}

/** Where Node would resolve `name` from a package in `fromDir`: the nearest node_modules up the tree. */
function resolvePackageDir(name: string, fromDir: string): string {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`${name} is not installed (needed from ${fromDir})`);
  }
}

/** The packages `npm install --omit=dev` of the package in `dir` brings in: its dependencies, transitively. */
function productionClosure(dir: string): Set<string> {
  const seen = new Set<string>();
  const visit = (packageDir: string): void => {
    for (const dependency of Object.keys(readManifest(join(packageDir, 'package.json')).dependencies ?? {})) {
      if (seen.has(dependency)) continue;
      seen.add(dependency);
      visit(resolvePackageDir(dependency, packageDir));
    }
  };
  visit(dir);
  return seen;
}

/** Whether an installed package carries its own declarations. */
function shipsTypes(packageDir: string): boolean {
  const manifest = readManifest(join(packageDir, 'package.json')) as Manifest & { typings?: string };
  return manifest.types !== undefined || manifest.typings !== undefined || existsSync(join(packageDir, 'index.d.ts'));
}

/** Bare package names the declaration files under `dir` import (relative paths and `node:` builtins left out). */
function declarationImports(dir: string): Set<string> {
  const names = new Set<string>();
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !/\.d\.c?ts$/.test(entry.name)) continue;
    const text = readFileSync(join(entry.parentPath, entry.name), 'utf8');
    for (const match of text.matchAll(/(?:from\s+|import\(\s*)['"]([^'"]+)['"]/g)) {
      const specifier = match[1] as string;
      if (specifier.startsWith('.') || specifier.startsWith('node:')) continue;
      const parts = specifier.split('/');
      names.add(specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string));
    }
  }
  return names;
}

describe('published packages', () => {
  for (const { folder, name, member } of PACKAGES) {
    describe(name, () => {
      const manifest = readManifest(join(root, 'packages', folder, 'package.json'));

      it('is named as its folder says and declares its types in a file the build wrote', () => {
        assert.equal(manifest.name, name);
        assert.ok(manifest.types !== undefined, 'package.json has no "types"');
        assert.ok(
          existsSync(join(root, 'packages', folder, manifest.types)),
          `${manifest.types} is missing: run npm run build`,
        );
      });

      it('declares types that import only its own production dependencies', () => {
        const allowed = productionClosure(join(root, 'packages', folder));
        const packageDir = join(root, 'packages', folder);
        const imports = [...declarationImports(join(packageDir, 'dist'))];
        const missing = imports.filter((n) => !allowed.has(n));
        assert.deepEqual(missing, [], `a TypeScript user would need ${missing.join(', ')} installed`);
        // A dependency that ships no types of its own would need its @types/* package at install time.
        const untyped = imports.filter((n) => !shipsTypes(resolvePackageDir(n, packageDir)));
        assert.deepEqual(untyped, [], `the declarations import ${untyped.join(', ')}, whose types live in @types/*`);
      });

      it('loads with import from dist/', async () => {
        const out = await node([
          '--input-type=module',
          '-e',
          `const m = await import('${name}'); console.log(typeof m['${member}']);`,
        ]);
        assert.equal(out, 'function');
      });

      it('loads with require() from dist/', async () => {
        const out = await node(['-e', `const m = require('${name}'); console.log(typeof m['${member}']);`]);
        assert.equal(out, 'function');
      });
    });
  }

  it('installs the server with ws and a few small packages, and no @types/* at run time', () => {
    const closure = [...productionClosure(join(root, 'packages/server'))].sort();
    assert.deepEqual(
      closure,
      ['@switchboard/engine', '@switchboard/protocol', 'cors', 'debug', 'ms', 'object-assign', 'vary', 'ws'],
      'the server gained or lost a production dependency: update this list only for a deliberate choice',
    );
  });

  it('keeps type packages out of every workspace’s production dependencies', () => {
    for (const { folder } of PACKAGES) {
      const typePackages = [...productionClosure(join(root, 'packages', folder))].filter((n) =>
        n.startsWith('@types/'),
      );
      assert.deepEqual(typePackages, [], `packages/${folder} needs ${typePackages.join(', ')} at run time`);
    }
  });
});
