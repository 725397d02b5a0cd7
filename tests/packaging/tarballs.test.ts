// The packages as the registry would serve them: `npm pack` of every workspace, each tarball linted
// (publint --strict, @arethetypeswrong/cli), its contents checked, then installed alone (with the tarballs of its
// @switchboard dependencies) into a fresh folder and used from ESM, CommonJS and TypeScript (node16 and commonjs).
// Offline: npm resolves third-party dependencies from its cache, which `npm ci` filled. See docs/packaging.md.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = (name: string): string => join(root, 'node_modules/.bin', name);

interface Workspace {
  folder: string;
  name: string;
  member: string;
  dependencies: string[];
}

function workspaces(): Workspace[] {
  const members: Record<string, string> = {
    protocol: 'Encoder',
    engine: 'Server',
    'engine-client': 'Socket',
    server: 'Server',
    client: 'Manager',
    admin: 'instrument',
    adapter: 'ClusterAdapter',
    'redis-adapter': 'createShardedAdapter',
    'redis-emitter': 'Emitter',
    'redis-streams-adapter': 'createAdapter',
    'cluster-adapter': 'createAdapter',
    sticky: 'setupMaster',
    'postgres-adapter': 'createAdapter',
    'postgres-emitter': 'Emitter',
  };
  const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { workspaces: string[] };
  return rootManifest.workspaces.flatMap((w) => {
    const m = JSON.parse(readFileSync(join(root, w, 'package.json'), 'utf8')) as {
      name: string;
      private?: boolean;
      dependencies?: Record<string, string>;
    };
    if (m.private) return [];
    const folder = w.split('/').pop() as string;
    const deps = Object.keys(m.dependencies ?? {}).filter((d) => d.startsWith('@switchboard/'));
    return [{ folder, name: m.name, member: members[folder] ?? '', dependencies: deps }];
  });
}

function run(cmd: string, args: string[], cwd: string, timeout = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd, timeout, maxBuffer: 32 << 20 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${cmd} ${args.join(' ')}: ${error.message}\n${stdout}\n${stderr}`));
      else resolve(stdout.trim());
    });
  });
}

/** Runs `tasks` at most `limit` at a time. */
async function pool<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: limit }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await task(item);
    }),
  );
}

const WORKSPACES = workspaces();
const tarballOf = (name: string): string => join(packs, `${name.slice(1).replace('/', '-')}-0.1.0.tgz`);
let work = '';
let packs = '';

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'switchboard-packaging-'));
  packs = join(work, 'packs');
  mkdirSync(packs);
  await run('npm', ['pack', '--workspaces', '--pack-destination', packs, '--silent'], root, 120_000);
  externals = await packExternals();
});

after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** The third-party production dependencies of a package, transitively, as installed at the root. */
function externalClosure(packageDir: string, seen = new Map<string, string>()): Map<string, string> {
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  for (const dep of Object.keys(manifest.dependencies ?? {})) {
    if (dep.startsWith('@switchboard/') || seen.has(dep)) continue;
    let dir = packageDir;
    while (!existsSync(join(dir, 'node_modules', dep, 'package.json'))) {
      if (dirname(dir) === dir) throw new Error(`${dep} is not installed`);
      dir = dirname(dir);
    }
    seen.set(dep, join(dir, 'node_modules', dep));
    externalClosure(join(dir, 'node_modules', dep), seen);
  }
  return seen;
}

/** Tarballs of the third-party dependencies, packed from node_modules so the installs need no registry. */
async function packExternals(): Promise<Map<string, string>> {
  const all = new Map<string, string>();
  for (const { folder } of WORKSPACES)
    for (const [n, d] of externalClosure(join(root, 'packages', folder))) all.set(n, d);
  const tarballs = new Map<string, string>();
  const dest = join(work, 'externals');
  mkdirSync(dest);
  await pool([...all], 4, async ([name, dir]) => {
    const file = await run('npm', ['pack', dir, '--pack-destination', dest, '--silent', '--ignore-scripts'], root);
    tarballs.set(name, join(dest, file.split('\n').pop() as string));
  });
  return tarballs;
}
let externals = new Map<string, string>();

/** The transitive @switchboard dependencies of a package. */
function internalClosure(name: string, seen = new Set<string>()): Set<string> {
  for (const dep of WORKSPACES.find((w) => w.name === name)?.dependencies ?? []) {
    if (!seen.has(dep)) {
      seen.add(dep);
      internalClosure(dep, seen);
    }
  }
  return seen;
}

/**
 * publint suggestions we keep on purpose. The client's string `browser` field: publint suggests moving it into
 * `exports`, where the bundlers it exists for (webpack 2-4, browserify ignore `exports`) would never read it.
 */
const ALLOWED_SUGGESTIONS: Readonly<Record<string, RegExp>> = {
  '@switchboard/client': /^1\. pkg\.browser with a string value can be refactored to use pkg\.exports/m,
};

/** Whether publint's report holds no warning or error and exactly the one suggestion allowed for the package. */
/** An ANSI colour or style sequence (ESC [ ... m). */
const ANSI_STYLE = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

function onlyAllowedSuggestion(name: string, out: string): boolean {
  const allowed = ALLOWED_SUGGESTIONS[name];
  if (allowed === undefined || /^(Warnings|Errors):/m.test(out)) return false;
  return allowed.test(out) && (out.match(/^\d+\. /gm) ?? []).length === 1;
}

/** Installs a package from its tarball into `dir`, with the tarballs of its dependencies and nothing else. */
async function installAlone(name: string, dir: string): Promise<void> {
  const internal = [name, ...internalClosure(name)];
  const thirdParty = new Set<string>();
  for (const n of internal) {
    const folderOf = WORKSPACES.find((w) => w.name === n)?.folder as string;
    for (const dep of externalClosure(join(root, 'packages', folderOf)).keys())
      thirdParty.add(externals.get(dep) as string);
  }
  const tarballs = [...internal.map(tarballOf), ...thirdParty];
  await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', ...tarballs], dir, 90_000);
}

// Bounded: about a minute on an idle two-core machine, several when the machine is shared.
describe('packed tarballs', { timeout: 300_000 }, () => {
  it('pass publint --strict', async () => {
    const failures: string[] = [];
    await pool(WORKSPACES, 3, async ({ name }) => {
      const out = await run(bin('publint'), ['--strict', tarballOf(name)], root).catch(
        (e: unknown) => (e as Error).message,
      );
      // publint colours its output when CI is set (picocolors); the checks read the plain text.
      const plain = out.replace(ANSI_STYLE, '');
      if (!plain.includes('All good!') && !onlyAllowedSuggestion(name, plain)) failures.push(`${name}: ${plain}`);
    });
    assert.deepEqual(failures, []);
  });

  it('pass @arethetypeswrong/cli for node10, node16 (CJS and ESM) and bundlers', async () => {
    const failures: string[] = [];
    await pool(WORKSPACES, 3, async ({ name }) => {
      // Exits non-zero on any problem; the client's ./dist/browser/* wildcard is files, not typed modules.
      await run(bin('attw'), [tarballOf(name), '--format', 'ascii'], root).catch((e: unknown) =>
        failures.push(`${name}: ${(e as Error).message}`),
      );
    });
    assert.deepEqual(failures, []);
  });

  it('ship LICENSE and README, no sources, tests or dev scripts, and source maps that carry their sources', async () => {
    for (const { name } of WORKSPACES) {
      const files = (await run('tar', ['-tzf', tarballOf(name)], root))
        .split('\n')
        .map((f) => f.replace(/^package\//, ''));
      assert.ok(files.includes('LICENSE'), `${name} has no LICENSE`);
      assert.ok(files.includes('README.md'), `${name} has no README.md`);
      const stray = files.filter((f) =>
        /^(src|scripts|tests?)\/|\.test\.|\.test-d\.|\.fixture\.|\.tsbuildinfo$|\.d\.ts\.map$/.test(f),
      );
      assert.deepEqual(stray, [], `${name} ships ${stray.join(', ')}`);
      assert.ok(
        files.includes('dist/index.cjs') && files.includes('dist/index.d.cts'),
        `${name} has no CommonJS build`,
      );
    }
    const dir = join(work, 'maps');
    mkdirSync(dir);
    await run('tar', ['-xzf', tarballOf('@switchboard/server'), '-C', dir], root);
    for (const file of ['dist/server.js.map', 'dist/server.cjs.map']) {
      const map = JSON.parse(readFileSync(join(dir, 'package', file), 'utf8')) as {
        sources: string[];
        sourcesContent?: (string | null)[];
      };
      assert.equal(map.sourcesContent?.length, map.sources.length, `${file} does not carry its sources`);
      assert.ok(
        map.sourcesContent.every((s) => typeof s === 'string' && s.length > 0),
        `${file} has empty sources`,
      );
    }
  });

  it('install alone and work from ESM, CommonJS and TypeScript', async () => {
    const failures: string[] = [];
    await pool(WORKSPACES, 3, async ({ folder, name, member }) => {
      const dir = join(work, `install-${folder}`);
      mkdirSync(dir);
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `consumer-${folder}`, private: true }));
      try {
        await installAlone(name, dir);
        // A package missing from `members` is checked for having any export at all.
        const probe = member === '' ? `Object.keys(m).length > 0 ? 'function' : 'empty'` : `typeof m.${member}`;
        writeFileSync(join(dir, 'use.mjs'), `import * as m from '${name}'; console.log(${probe});`);
        writeFileSync(join(dir, 'use.cjs'), `const m = require('${name}'); console.log(${probe});`);
        assert.equal(await run(process.execPath, ['use.mjs'], dir), 'function');
        assert.equal(await run(process.execPath, ['use.cjs'], dir), 'function');
        const use =
          member === ''
            ? 'export const x: unknown = m;'
            : `import { ${member} } from '${name}';\nexport const x: unknown = [${member}, m.${member}];`;
        writeFileSync(join(dir, 'use-esm.mts'), `import * as m from '${name}';\n${use}\n`);
        writeFileSync(join(dir, 'use-cjs.cts'), `import m = require('${name}');\n${use}\n`);
        const types = [
          '--typeRoots',
          join(root, 'node_modules/@types'),
          '--types',
          'node',
          '--strict',
          '--noEmit',
          '--lib',
          'es2022,dom',
          '--target',
          'es2022',
        ];
        await run(
          process.execPath,
          [join(root, 'node_modules/typescript/bin/tsc'), ...types, '--module', 'node16', 'use-esm.mts', 'use-cjs.cts'],
          dir,
        );
        // moduleResolution node10 (no exports map) reads the top-level types: checked where the entry is callable.
        if (name === '@switchboard/server' || name === '@switchboard/client') {
          await run(
            process.execPath,
            [
              join(root, 'node_modules/typescript/bin/tsc'),
              ...types,
              '--module',
              'commonjs',
              '--moduleResolution',
              'node10',
              '--esModuleInterop',
              'use-cjs.cts',
            ],
            dir,
          );
        }
      } catch (error) {
        failures.push(`${name}: ${(error as Error).message}`);
      }
    });
    assert.deepEqual(failures, []);
  });

  it('install the server alone, without @switchboard/client, and serve the browser client it carries', async () => {
    const dir = join(work, 'serve-client');
    mkdirSync(dir);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer-serve-client', private: true }));
    await installAlone('@switchboard/server', dir);
    assert.ok(!existsSync(join(dir, 'node_modules/@switchboard/client')), '@switchboard/client was installed');
    writeFileSync(
      join(dir, 'serve.mjs'),
      `import { createServer } from 'node:http';
import { Server } from '@switchboard/server';
const http = createServer();
const io = new Server(http);
http.listen(0, '127.0.0.1', async () => {
  const base = 'http://127.0.0.1:' + http.address().port + '/socket.io/';
  const replies = [];
  for (const file of ['socket.io.js', 'socket.io.min.js', 'socket.io.msgpack.min.js', 'socket.io.esm.min.js.map'])
    replies.push(file + ' ' + (await fetch(base + file)).status);
  replies.push('etag ' + (await fetch(base + 'socket.io.min.js')).headers.get('etag'));
  console.log(replies.join(', '));
  io.close(() => process.exit(0));
});
`,
    );
    assert.equal(
      await run(process.execPath, ['serve.mjs'], dir),
      'socket.io.js 200, socket.io.min.js 200, socket.io.msgpack.min.js 200, socket.io.esm.min.js.map 200, etag "0.1.0"',
    );
  });
});

describe(
  'a socket.io-docs-style suite against the tarballs installed as socket.io / socket.io-client',
  { timeout: 300_000 },
  () => {
    let dir = '';

    before(async () => {
      dir = join(work, 'docs-style');
      mkdirSync(dir);
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'docs-style', private: true }));
      const internal = new Set(['@switchboard/server', '@switchboard/client']);
      for (const n of [...internal]) for (const d of internalClosure(n)) internal.add(d);
      const thirdParty = new Set<string>();
      for (const n of internal) {
        const folderOf = WORKSPACES.find((w) => w.name === n)?.folder as string;
        for (const dep of externalClosure(join(root, 'packages', folderOf)).keys())
          thirdParty.add(externals.get(dep) as string);
      }
      const specs = [...internal].map((n) =>
        n === '@switchboard/server'
          ? `socket.io@file:${tarballOf(n)}`
          : n === '@switchboard/client'
            ? `socket.io-client@file:${tarballOf(n)}`
            : tarballOf(n),
      );
      await run(
        'npm',
        ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', ...specs, ...thirdParty],
        dir,
        // 4 s alone; once past 90 s in a full run on a loaded two-core machine, while other suites used npm's cache.
        180_000,
      );
      writeFileSync(
        join(dir, 'server-client.jest.cjs'),
        readFileSync(join(root, 'tests/packaging/docs-style/server-client.jest.cjs')),
      );
      // vitest's default include is *.test.*: the file gets that name only in the temp folder, out of our runner's way.
      writeFileSync(
        join(dir, 'server-client.test.mjs'),
        readFileSync(join(root, 'tests/packaging/docs-style/server-client.vitest.mjs')),
      );
    });

    it('passes under jest (CommonJS)', async () => {
      const config = JSON.stringify({
        testEnvironment: 'node',
        testMatch: ['**/*.jest.cjs'],
        rootDir: dir,
        watchman: false,
      });
      const out = await run(
        process.execPath,
        [
          join(root, 'node_modules/jest/bin/jest.js'),
          '--config',
          config,
          '--ci',
          '--forceExit',
          '--testTimeout',
          '10000',
        ],
        dir,
        90_000,
      );
      assert.doesNotMatch(out, /failed/);
    });

    it('passes under vitest (ESM)', async () => {
      const out = await run(
        process.execPath,
        [
          join(root, 'node_modules/vitest/vitest.mjs'),
          'run',
          '--root',
          dir,
          '--globals',
          '--testTimeout',
          '10000',
          'server-client.test.mjs',
        ],
        dir,
        90_000,
      );
      assert.match(out, /3 passed/);
    });
  },
);
