// The client's package.json `browser` field, read by bundlers that ignore `exports` (webpack 2-4, browserify): the
// file it names parses as ES2017 (webpack 2 and 3 read no later syntax) and, loaded as CommonJS, is `io` carrying every named export of dist/index.js, so
// both `require('@switchboard/client')(url)` and `import { Manager } from '@switchboard/client'` work there.
// `npm test` builds before it runs this file.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { parse } from 'acorn';

const client = fileURLToPath(new URL('../../packages/client', import.meta.url));
const manifest = JSON.parse(readFileSync(join(client, 'package.json'), 'utf8')) as { browser?: unknown };

describe('the client package.json browser field', () => {
  let file = '';
  let code = '';

  before(() => {
    assert.equal(typeof manifest.browser, 'string', 'browser is a string, so it replaces the main entry');
    file = join(client, manifest.browser as string);
    assert.ok(existsSync(file), `${file} is missing: run npm run build`);
    code = readFileSync(file, 'utf8');
  });

  it('names a file that parses as an ES2017 script, the newest syntax webpack 2 and 3 parse', () => {
    assert.doesNotThrow(() => parse(code, { ecmaVersion: 2017, sourceType: 'script' }));
  });

  it('names a CommonJS module whose exports are the io function carrying every named export of dist/index.js', async () => {
    const module = { exports: {} as unknown };
    runInNewContext(code, { module, exports: module.exports, URL, globalThis: {} });
    const io = module.exports as ((...args: unknown[]) => unknown) & Record<string, unknown>;
    assert.equal(typeof io, 'function');
    assert.equal(io['io'], io);
    // `default` comes from the bundlers' CommonJS interop (module.exports itself); 'module.exports' is what Node's
    // require(esm) reads, not a name.
    const esm = (await import(pathToFileURL(join(client, 'dist/index.js')).href)) as Record<string, unknown>;
    const named = Object.keys(esm).filter((name) => name !== 'default' && name !== 'module.exports');
    assert.deepEqual(Object.keys(io).sort(), named.sort());
  });

  it('leaves the source map beside it', () => {
    assert.match(code, /\/\/# sourceMappingURL=socket\.io\.es2017\.cjs\.map\n?$/);
    assert.ok(existsSync(`${file}.map`));
  });
});
