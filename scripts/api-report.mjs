// The published types are the API: API Extractor reads the declarations of every entry point in each package's
// `exports` (dist/, so `npm run build` first) and writes one report per entry point to api/ (see docs/packaging.md).
// Usage: node scripts/api-report.mjs           compare with the committed reports; a changed surface fails, with a diff
//        node scripts/api-report.mjs --update  rewrite api/*.api.md (then review and commit the change)
import { CompilerState, Extractor, ExtractorConfig } from '@microsoft/api-extractor';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const reportFolder = join(root, 'api');
const tempFolder = join(tmpdir(), `switchboard-api-report-${process.pid}`);
const update = process.argv.includes('--update');

/** One report per published entry point: `.` and every subpath, the `browser` condition as its own entry. */
function entryPoints() {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const entries = [];
  for (const workspace of manifest.workspaces) {
    const dir = join(root, workspace);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    if (pkg.private) continue;
    const base = pkg.name.replace(/^@[^/]+\//, '');
    for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
      // Files that are not modules (package.json, the client's browser bundles) have no types to report.
      if (subpath.includes('*') || typeof target !== 'object' || target === null) continue;
      const name = subpath === '.' ? base : `${base}-${subpath.slice(2).replaceAll('/', '-')}`;
      const types = (conditions) => conditions?.import?.types ?? conditions?.types;
      if (types(target)) entries.push({ dir, pkg: pkg.name, name, dts: join(dir, types(target)) });
      if (types(target.browser))
        entries.push({ dir, pkg: pkg.name, name: `${name}-browser`, dts: join(dir, types(target.browser)) });
    }
  }
  return entries;
}

function configFor(entry) {
  return ExtractorConfig.prepare({
    configObjectFullPath: join(entry.dir, 'api-extractor.json'), // not a file: settings are all here
    packageJsonFullPath: join(entry.dir, 'package.json'),
    configObject: {
      projectFolder: entry.dir,
      mainEntryPointFilePath: entry.dts,
      newlineKind: 'lf',
      compiler: {
        // The declarations as a consumer compiles them, lib check included: a stripped member that an interface
        // still requires (TS2420) fails here.
        overrideTsconfig: {
          compilerOptions: {
            target: 'es2022',
            module: 'nodenext',
            moduleResolution: 'nodenext',
            lib: ['es2022', 'dom'],
            types: ['node'],
            strict: true,
            typeRoots: [join(root, 'node_modules/@types')],
          },
          files: [entry.dts],
        },
        skipLibCheck: false,
      },
      apiReport: {
        enabled: true,
        reportFileName: entry.name,
        reportFolder,
        reportTempFolder: tempFolder,
        // Types an entry uses but does not export (an options bag reached only through a parameter) are part of
        // its surface all the same.
        includeForgottenExports: true,
      },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages: {
        compilerMessageReporting: { default: { logLevel: 'error' } },
        extractorMessageReporting: {
          default: { logLevel: 'warning' },
          // We do not use release tags (@public/@beta): what the declarations export is public, @internal is stripped.
          'ae-missing-release-tag': { logLevel: 'none' },
          'ae-undocumented': { logLevel: 'none' },
          'ae-internal-missing-underscore': { logLevel: 'none' },
          // Shown in the report, where review sees them.
          'ae-forgotten-export': { logLevel: 'none', addToApiReportFile: true },
          // API Extractor's own TSDoc dialect is not ours (`@default` with prose, links to socket.io docs).
          'ae-unresolved-link': { logLevel: 'none' },
        },
        tsdocMessageReporting: { default: { logLevel: 'none' } },
      },
    },
  });
}

const entries = entryPoints();
const missing = entries.filter((e) => !existsSync(e.dts));
if (missing.length > 0) {
  console.error(
    `api-report: no declarations for ${missing.map((e) => e.name).join(', ')}: run \`npm run build\` first`,
  );
  process.exit(1);
}
mkdirSync(reportFolder, { recursive: true });
mkdirSync(tempFolder, { recursive: true });

const configs = entries.map(configFor);
// One TypeScript program for every entry point: each invocation alone would parse the same declarations again.
const compilerState = CompilerState.create(configs[0], { additionalEntryPoints: entries.map((e) => e.dts) });
const changed = [];
const problems = [];
for (const [i, config] of configs.entries()) {
  const entry = entries[i];
  const result = Extractor.invoke(config, {
    localBuild: update,
    compilerState,
    messageCallback(message) {
      message.handled = true;
      // console-* messages are API Extractor narrating what it did (a report created or changed): we say it below.
      if (message.messageId.startsWith('console-') && message.logLevel !== 'error') return;
      if (message.logLevel === 'error' || message.logLevel === 'warning') {
        problems.push(
          `${entry.name}: ${message.logLevel} ${message.messageId}: ${message.text}` +
            (message.sourceFilePath ? ` (${message.sourceFilePath}:${message.sourceFileLine})` : ''),
        );
      }
    },
  });
  if (result.apiReportChanged) changed.push(entry);
}

// Reports of entry points that no longer exist.
const names = new Set(entries.map((e) => `${e.name}.api.md`));
const stale = readdirSync(reportFolder).filter((f) => f.endsWith('.api.md') && !names.has(f));
if (update) for (const f of stale) rmSync(join(reportFolder, f));

for (const p of problems) console.error(p);
if (update) {
  console.log(
    `api-report: ${entries.length} entry points; ${changed.length} report(s) rewritten${stale.length ? `, ${stale.length} removed` : ''}.`,
  );
} else if (changed.length > 0 || stale.length > 0) {
  for (const entry of changed) {
    const committed = join(reportFolder, `${entry.name}.api.md`);
    const current = join(tempFolder, `${entry.name}.api.md`);
    if (!existsSync(committed)) {
      console.error(`\napi/${entry.name}.api.md is missing (a new entry point).`);
      continue;
    }
    const diff = spawnSync('git', ['diff', '--no-index', '--no-color', '--', committed, current], { encoding: 'utf8' });
    // `-` lines are the committed report, `+` lines the declarations as built now.
    const text = diff.stdout
      .replaceAll(committed.slice(1), `api/${entry.name}.api.md`)
      .replaceAll(current.slice(1), `built/${entry.name}.api.md`);
    console.error(`\n${text || `api/${entry.name}.api.md differs from ${current}`}`);
  }
  for (const f of stale) console.error(`\napi/${f}: no such entry point any more.`);
  console.error(
    `\napi-report: the public API changed (${[...changed.map((e) => e.name), ...stale].join(', ')}).\n` +
      'If that is intended, run `npm run api:update` and commit api/ with the change, so review sees it.',
  );
} else {
  console.log(`api-report: ${entries.length} entry points match api/.`);
}
rmSync(tempFolder, { recursive: true, force: true });
process.exitCode =
  problems.some((p) => p.includes(': error ')) || (!update && (changed.length > 0 || stale.length > 0)) ? 1 : 0;
