// @ts-check
// Scenario 7, server install footprint: what `npm install --omit=dev` puts on disk for the server, ours packed from
// the workspace (`npm pack`, so exactly what would be published) against socket.io at the version the tests use.
// Counts every installed package, the type packages among them (none may be needed at run time) and the bytes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
/**
 * The workspaces a server install is made of: the server and every `@switchboard/*` package it depends on,
 * followed through their manifests so a new dependency (the client bundle the server serves) is never missed.
 */
const OURS = workspaceClosure('server');

/**
 * @param {string} folder a folder under packages/
 * @param {Set<string>} [seen]
 * @returns {string[]}
 */
function workspaceClosure(folder, seen = new Set()) {
  if (seen.has(folder)) return [];
  seen.add(folder);
  const manifest = JSON.parse(readFileSync(join(root, 'packages', folder, 'package.json'), 'utf8'));
  const deps = Object.keys(manifest.dependencies ?? {}).filter((name) => name.startsWith('@switchboard/'));
  return [...deps.flatMap((name) => workspaceClosure(name.slice('@switchboard/'.length), seen)), `packages/${folder}`];
}

/**
 * Every package directory under a node_modules folder, scoped ones included, nested node_modules too.
 * @param {string} dir
 * @returns {string[]}
 */
export function installedPackages(dir) {
  /** @type {string[]} */
  const found = [];
  /** @param {string} folder @param {string} prefix */
  const visit = (folder, prefix) => {
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
      const path = join(folder, entry.name);
      if (entry.name.startsWith('@') && prefix === '') {
        visit(path, `${entry.name}/`);
        continue;
      }
      found.push(`${prefix}${entry.name}`);
      visit(join(path, 'node_modules'), '');
    }
  };
  visit(dir, '');
  return found.sort();
}

/**
 * Bytes of the files under `dir`.
 * @param {string} dir
 * @returns {number}
 */
function diskBytes(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size;
  }
  return total;
}

/**
 * @param {string} cwd
 * @param {string[]} args
 */
function npm(cwd, args) {
  return execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, encoding: 'utf8' });
}

/** @type {import('./types.mjs').ScenarioDef} */
export const install = {
  name: 'install',
  title: 'server install footprint',
  impls: ['ours', 'socketio'],
  maxRounds: 1,
  metrics: [
    { id: 'install.packages', label: 'server install (--omit=dev): packages', unit: 'packages', better: 'lower' },
    {
      id: 'install.types',
      label: 'server install (--omit=dev): type packages (@types/*)',
      unit: 'packages',
      better: 'lower',
      target: { op: '<=', value: 0, of: 'value', unit: 'packages' },
    },
    { id: 'install.kb', label: 'server install (--omit=dev): size on disk', unit: 'KB', better: 'lower' },
  ],
  async run(impl, { log }) {
    const dir = mkdtempSync(join(tmpdir(), `bench-install-${impl}-`));
    try {
      writeFileSync(
        join(dir, 'package.json'),
        JSON.stringify({ name: 'install-probe', version: '1.0.0', private: true }),
      );
      /** @type {string[]} */
      let specs;
      if (impl === 'ours') {
        // Packed from the built workspaces: the tarballs hold what `files` publishes, dist/ included.
        const packed = JSON.parse(
          npm(root, ['pack', '--json', '--pack-destination', dir, ...OURS.flatMap((w) => ['-w', w])]),
        );
        specs = packed.map((/** @type {{ filename: string }} */ p) => join(dir, p.filename));
      } else {
        const version = JSON.parse(readFileSync(join(root, 'node_modules/socket.io/package.json'), 'utf8')).version;
        specs = [`socket.io@${version}`];
      }
      npm(dir, ['install', '--omit=dev', '--ignore-scripts', '--prefer-offline', ...specs]);
      const modules = join(dir, 'node_modules');
      const packages = installedPackages(modules);
      log(`${impl} server install: ${packages.join(', ')}`);
      return {
        'install.packages': packages.length,
        'install.types': packages.filter((name) => name.startsWith('@types/')).length,
        'install.kb': diskBytes(modules) / 1000,
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
