// Types and run time agree: every value a package's declarations name (per export path, for `import` and for
// `require`) exists on what Node loads, so a TypeScript user never compiles against a value that is undefined at run
// time. `npm test` builds before it runs this file.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('../..', import.meta.url));

interface Target {
  types: string;
  default: string;
}

interface ExportPath {
  /** '@switchboard/x' or '@switchboard/x/sub'. */
  specifier: string;
  dir: string;
  import: Target;
  require: Target;
}

/** Every export path of every published workspace that has both an `import` and a `require` entry. */
function exportPaths(): ExportPath[] {
  const paths: ExportPath[] = [];
  for (const folder of readdirSync(join(root, 'packages')).sort()) {
    const dir = join(root, 'packages', folder);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      name: string;
      private?: boolean;
      exports?: Record<string, string | { import?: Target; require?: Target }>;
    };
    if (manifest.private) continue;
    for (const [subpath, conditions] of Object.entries(manifest.exports ?? {})) {
      if (typeof conditions === 'string' || !conditions.import || !conditions.require) continue;
      const specifier = subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`;
      paths.push({ specifier, dir, import: conditions.import, require: conditions.require });
    }
  }
  return paths;
}

const PATHS = exportPaths();

/** Value (not type-only) export names of each declaration file, read with the TypeScript checker. */
let declaredValues: (typesFile: string) => string[];

before(() => {
  const files = PATHS.flatMap((p) => [join(p.dir, p.import.types), join(p.dir, p.require.types)]);
  const program = ts.createProgram(files, {
    noEmit: true,
    skipLibCheck: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
  });
  const checker = program.getTypeChecker();
  declaredValues = (typesFile) => {
    const source = program.getSourceFile(typesFile);
    assert.ok(source, `${typesFile} is missing: run npm run build`);
    const moduleSymbol = checker.getSymbolAtLocation(source);
    assert.ok(moduleSymbol, `${typesFile} is not a module`);
    // For an `export =` entry this is the members of the exported value's namespace, as `require()` sees them.
    return checker
      .getExportsOfModule(moduleSymbol)
      .filter((symbol) => {
        // Follow re-exports one step at a time: an `export type { X }` anywhere along the way makes even a class a type.
        let target = symbol;
        for (let hops = 0; target.flags & ts.SymbolFlags.Alias; hops++) {
          assert.ok(hops < 50, `${typesFile}: re-export chain of ${String(symbol.escapedName)} does not end`);
          if ((target.declarations ?? []).some((d) => ts.isTypeOnlyImportOrExportDeclaration(d))) return false;
          target = checker.getImmediateAliasedSymbol(target) ?? target;
          if (hops > 0 && target === symbol) break;
        }
        return (target.flags & ts.SymbolFlags.Value) !== 0;
      })
      .map((symbol) => String(symbol.escapedName))
      .sort();
  };
});

/** The names among `names` that are undefined on the module `load` evaluates to, in a plain Node process. */
function missingAtRunTime(load: string, names: string[]): Promise<string[]> {
  const script = `
    const m = ${load};
    console.log(JSON.stringify(${JSON.stringify(names)}.filter((name) => m[name] === undefined)));`;
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', script],
      { cwd: root, timeout: 20_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout) as string[]);
      },
    );
  });
}

describe('declared exports exist at run time', () => {
  for (const path of PATHS) {
    describe(path.specifier, () => {
      it(`has every value its ESM types (${path.import.types}) name on import()`, async () => {
        const names = declaredValues(join(path.dir, path.import.types));
        assert.ok(names.length > 0);
        assert.deepEqual(await missingAtRunTime(`await import(${JSON.stringify(path.specifier)})`, names), []);
      });

      it(`has every value its CommonJS types (${path.require.types}) name on require(), which loads the ESM build on Node >= 20.19`, async () => {
        const names = declaredValues(join(path.dir, path.require.types));
        assert.ok(names.length > 0);
        const load = `(await import('node:module')).createRequire(${JSON.stringify(join(root, 'package.json'))})(${JSON.stringify(path.specifier)})`;
        assert.deepEqual(await missingAtRunTime(load, names), []);
      });

      it(`has every value its CommonJS types name on the CommonJS build (${path.require.default}), which jest and older Node load`, async () => {
        const names = declaredValues(join(path.dir, path.require.types));
        const load = `(await import('node:module')).createRequire(import.meta.url)(${JSON.stringify(join(path.dir, path.require.default))})`;
        assert.deepEqual(await missingAtRunTime(load, names), []);
      });
    });
  }
});
