// Builds the CommonJS half of every publishable package from its tsc output (see docs/packaging.md):
//   dist/**/*.js   -> dist/**/*.cjs    (esbuild, one file per file, relative requires point at .cjs, maps chained)
//   dist/**/*.d.ts -> dist/**/*.d.cts  (specifiers rewritten, so `require` consumers get CommonJS-format types)
// An entry that exports `'module.exports'` becomes that value under require(), the rule Node applies to
// require(esm); its .d.cts is then `export =` a function merged with a namespace of the other exports.
// Usage: node scripts/build-cjs.mjs [package-dir ...]   (default: every workspace of the root package.json)
import { build } from 'esbuild';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
const IMPORT_META_URL = '__switchboardImportMetaUrl';
const ENTRY = 'switchboardEntry';
const MODULE = '__switchboardModule';

/** tsc output under dist/: every .js with a .d.ts beside it (bundles such as the client's dist/browser have none). */
function tscOutputs(dist) {
  const out = [];
  for (const entry of readdirSync(dist, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
    const file = join(entry.parentPath, entry.name);
    if (existsSync(file.replace(/\.js$/, '.d.ts'))) out.push(file);
  }
  return out.sort();
}

/** Points relative `.js` specifiers at the CommonJS twins. */
function toCjsSpecifiers(text) {
  return text.replace(/((?:require\(|from\s+|import\()\s*)(["'])(\.{1,2}\/[^"']+?)\.js\2/g, '$1$2$3.cjs$2');
}

async function buildJs(dist, files) {
  const usesMeta = files.filter((f) => readFileSync(f, 'utf8').includes('import.meta'));
  const plain = files.filter((f) => !usesMeta.includes(f));
  const common = {
    outdir: dist,
    outbase: dist,
    format: 'cjs',
    platform: 'neutral',
    target: 'es2022',
    sourcemap: true,
    outExtension: { '.js': '.cjs' },
    logLevel: 'warning',
    write: true,
  };
  if (plain.length > 0) await build({ ...common, entryPoints: plain });
  if (usesMeta.length > 0) {
    // Node-only files that locate siblings with import.meta.url: the .cjs sits beside the .js, so paths still hold.
    await build({
      ...common,
      entryPoints: usesMeta,
      platform: 'node',
      define: { 'import.meta.url': IMPORT_META_URL },
      banner: { js: `var ${IMPORT_META_URL} = require("node:url").pathToFileURL(__filename).href;` },
    });
  }
  for (const file of files) {
    const cjs = file.replace(/\.js$/, '.cjs');
    let text = toCjsSpecifiers(readFileSync(cjs, 'utf8'));
    if (/["']module\.exports["']\s*:/.test(text)) {
      const at = text.lastIndexOf('//# sourceMappingURL=');
      const tail = 'module.exports = module.exports["module.exports"];\n';
      text = at === -1 ? text + tail : text.slice(0, at) + tail + text.slice(at);
    }
    writeFileSync(cjs, text);
  }
}

/** The exports of an entry's declarations, and the overloads of its `'module.exports'` function if it has one. */
function entryShape(dts, text) {
  // A program per declaration file costs seconds (it loads every @types package): only an entry that names the
  // export can have the shape, and it names it in its own text.
  if (!text.includes('module.exports')) return undefined;
  const program = ts.createProgram([dts], {
    noEmit: true,
    skipLibCheck: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(dts);
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (!moduleSymbol) return undefined;
  const exports = checker.getExportsOfModule(moduleSymbol);
  const callable = exports.find((s) => s.escapedName === 'module.exports');
  if (!callable) return undefined;
  const target = callable.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(callable) : callable;
  const declarations = (target.declarations ?? []).filter(ts.isFunctionDeclaration);
  if (declarations.length === 0) throw new Error(`${dts}: 'module.exports' must be a function declaration`);
  const file = declarations[0].getSourceFile();
  const printer = ts.createPrinter();
  const overloads = declarations.map((d) => {
    const renamed = ts.factory.updateFunctionDeclaration(
      d,
      [ts.factory.createModifier(ts.SyntaxKind.DeclareKeyword)],
      d.asteriskToken,
      ts.factory.createIdentifier(ENTRY),
      d.typeParameters,
      d.parameters,
      d.type,
      undefined,
    );
    return printer.printNode(ts.EmitHint.Unspecified, renamed, file);
  });
  // The names the overloads use, as the declaring file imports them (specifiers made relative to the entry).
  const imports = file.statements.filter(ts.isImportDeclaration).map((d) => {
    let text = d.getText(file);
    const spec = d.moduleSpecifier.text;
    if (spec.startsWith('.')) {
      let rel = relative(dirname(dts), join(dirname(file.fileName), spec)).replaceAll('\\', '/');
      if (!rel.startsWith('.')) rel = `./${rel}`;
      text = text.replace(d.moduleSpecifier.getText(file), JSON.stringify(rel));
    }
    return toCjsSpecifiers(text);
  });
  // Names the declaring file defines itself (an options interface beside the function, say).
  if (file.fileName !== dts) {
    const own = checker
      .getExportsOfModule(checker.getSymbolAtLocation(file))
      .map((sym) => String(sym.escapedName))
      .filter(
        (n) =>
          n !== 'default' && n !== 'module.exports' && !(target.declarations ?? []).some((d) => d.name?.text === n),
      );
    let rel = relative(dirname(dts), file.fileName)
      .replaceAll('\\', '/')
      .replace(/\.d\.ts$/, '.cjs');
    if (!rel.startsWith('.')) rel = `./${rel}`;
    if (own.length > 0) imports.push(`import type { ${own.join(', ')} } from ${JSON.stringify(rel)};`);
  }
  const names = exports.map((s) => String(s.escapedName)).filter((n) => n !== 'default' && n !== 'module.exports');
  return { overloads, imports, names };
}

function buildTypes(dist, files) {
  /** Each file's declarations, read once. */
  const declarations = new Map(files.map((js) => [js, readFileSync(js.replace(/\.js$/, '.d.ts'), 'utf8')]));
  const shapes = new Map(
    files.map((js) => [js, entryShape(js.replace(/\.js$/, '.d.ts'), /** @type {string} */ (declarations.get(js)))]),
  );
  // `export type` names cannot be reached by an `export =` entry's `export import` aliases (TS1379, anywhere along
  // the re-export chain, other packages included), so the CommonJS declarations drop the modifier, except on a class:
  // there it is the only thing that tells a CommonJS user the class is not on what require() returns.
  const classes = new Set();
  for (const js of files) {
    const text = /** @type {string} */ (declarations.get(js));
    for (const match of text.matchAll(/\bdeclare\s+(?:abstract\s+)?class\s+(\w+)/g)) classes.add(match[1]);
  }
  const specifier = (spec) => {
    const typeOnly = /^type\s+/.test(spec.trim());
    const name = spec.trim().replace(/^type\s+/, '');
    return typeOnly && classes.has(name.split(/\s+as\s+/)[0].trim()) ? `type ${name}` : name;
  };
  for (const js of files) {
    const dts = js.replace(/\.js$/, '.d.ts');
    let text = toCjsSpecifiers(/** @type {string} */ (declarations.get(js))).replace(
      /^\/\/# sourceMappingURL=.*$/m,
      '',
    );
    text = text.replace(/export\s+(type\s+)?\{([^}]*)\}/g, (block, typeOnly, list) => {
      const specs = list.split(',').filter((part) => part.trim() !== '');
      const kept = typeOnly ? specs.map((part) => specifier(`type ${part.trim()}`)) : specs.map(specifier);
      return `export { ${kept.join(', ')} }`;
    });
    const shape = shapes.get(js);
    if (!shape) {
      writeFileSync(dts.replace(/\.d\.ts$/, '.d.cts'), text);
      continue;
    }
    const base = js.slice(dist.length + 1).replace(/\.js$/, '');
    const nsFile = `${base.split('/').pop()}.exports`;
    // TypeScript reads a `'module.exports'` export as the module's whole value: the namespace file must not have it.
    writeFileSync(
      join(dist, `${base}.exports.d.cts`),
      text.replace(/^export\s*\{[^}]*as\s*["']module\.exports["'][^}]*\};?\s*$/m, ''),
    );
    const lines = [
      '// CommonJS entry: require() returns a function that also carries every named export.',
      ...shape.imports,
      `import ${MODULE} = require("./${nsFile}.cjs");`,
      ...shape.overloads,
      `declare namespace ${ENTRY} {`,
      ...shape.names.map((n) => `  export import ${n} = ${MODULE}.${n};`),
      '}',
      `export = ${ENTRY};`,
      '',
    ];
    writeFileSync(join(dist, `${base}.d.cts`), lines.join('\n'));
  }
}

/**
 * Removes CommonJS files whose ESM source is gone (renamed or deleted modules). A `.cjs` is ours only with a `.d.cts`
 * beside it (every file this script derives has one): a bundle written as `.cjs` (the client's
 * dist/browser/socket.io.es2017.cjs) has no `.js` source and stays. Collected first, so removing one file never
 * changes the verdict on its twins.
 */
function removeStale(dist) {
  const stale = [];
  for (const entry of readdirSync(dist, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath, entry.name);
    const m = /^(.*)\.(cjs|cjs\.map|d\.cts|exports\.d\.cts)$/.exec(file);
    if (!m || existsSync(`${m[1]}.js`) || existsSync(`${m[1].replace(/\.exports$/, '')}.js`)) continue;
    if (m[2].startsWith('cjs') && !existsSync(`${m[1]}.d.cts`)) continue;
    stale.push(file);
  }
  for (const file of stale) rmSync(file);
}

export async function buildCjs(packageDir) {
  const dist = join(packageDir, 'dist');
  if (!existsSync(dist)) throw new Error(`${dist} is missing: run tsc -b first`);
  removeStale(dist);
  const files = tscOutputs(dist);
  await buildJs(dist, files);
  buildTypes(dist, files);
  return files.length;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const dirs = args.length > 0 ? args : manifest.workspaces.map((w) => join(root, w));
  for (const dir of dirs) {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    if (pkg.private) continue;
    await buildCjs(dir);
  }
}
