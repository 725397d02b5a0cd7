import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';
import type { BuildResult, OutputFile } from 'esbuild';
import { buildBrowserBundles } from '../scripts/build-browser.mjs';

// 10 KB whichever way KB is read (10,000 or 10,240 bytes): the official full client is about 14.5 KB.
const BUDGET_BYTES = 10_000;
type Built = BuildResult & { outputFiles: OutputFile[]; metafile: NonNullable<BuildResult['metafile']> };
let bundles: Record<string, Built>;

const code = (file: string): string => {
  const output = bundles[file]?.outputFiles.find((f) => !f.path.endsWith('.map'));
  assert.ok(output, `${file} was built`);
  return output.text;
};
const inputs = (file: string): string[] => Object.keys(bundles[file]?.metafile.inputs ?? {});

before(async () => {
  bundles = (await buildBrowserBundles({ source: true, write: false })) as Record<string, Built>;
});

test(`keeps the full minified client (polling, WebSocket, every feature) within ${BUDGET_BYTES} bytes gzipped, under 10 KB either way`, (t) => {
  const gzipped = gzipSync(code('socket.io.min.js'), { level: 9 }).length;
  t.diagnostic(`socket.io.min.js: ${gzipped} bytes min+gzip (budget ${BUDGET_BYTES})`);
  assert.ok(
    gzipped <= BUDGET_BYTES,
    `socket.io.min.js is ${gzipped} bytes min+gzip, over the ${BUDGET_BYTES}-byte budget (10 KB with KB = 1000)`,
  );
});

test('bundles the browser entry of engine-client: no Node modules, no ws', () => {
  for (const file of Object.keys(bundles)) {
    const names = inputs(file);
    assert.ok(
      !names.some((name) => /node_modules\/ws\/|engine-client\/src\/node\/|^node:/.test(name)),
      `${file}: ${names.join(', ')}`,
    );
    assert.doesNotMatch(code(file), /\brequire\(|from ?"node:/, file);
  }
});

test('leaves the Node diagnostics (debug, switchboard:client:* namespaces) out of every browser bundle', () => {
  for (const file of Object.keys(bundles)) {
    assert.ok(!inputs(file).some((name) => name.includes('node_modules/debug/')), file);
    assert.doesNotMatch(code(file), /switchboard:(engine-)?client|DEBUG:/, file);
  }
});

test('leaves polling out of the WebSocket-only bundle', () => {
  const names = inputs('socket.io.websocket.min.js');
  assert.ok(names.some((name) => name.includes('transports/websocket')));
  assert.ok(!names.some((name) => name.includes('transports/polling')), names.join(', '));
});

test('exposes a global io function carrying Manager, Socket and protocol, like the official script build', () => {
  for (const file of ['socket.io.js', 'socket.io.min.js', 'socket.io.websocket.min.js', 'socket.io.msgpack.min.js']) {
    const context: Record<string, unknown> = { URL };
    context['globalThis'] = context;
    runInNewContext(code(file), context);
    const io = context['io'] as ((...args: unknown[]) => unknown) & Record<string, unknown>;
    assert.equal(typeof io, 'function', file);
    assert.equal(io['io'], io);
    assert.equal(io['connect'], io);
    assert.equal(typeof io['Manager'], 'function');
    assert.equal(typeof io['Socket'], 'function');
    assert.equal(io['protocol'], 5);
  }
});

test('builds the msgpack bundle on socket.io-msgpack-parser, without the built-in Socket.IO codec', () => {
  const output = Object.values(bundles['socket.io.msgpack.min.js']?.metafile.outputs ?? {}).find(
    (o) => o.entryPoint !== undefined,
  );
  assert.ok(output, 'socket.io.msgpack.min.js was built');
  const included = Object.keys(output.inputs);
  assert.ok(
    included.some((name) => name.includes('node_modules/socket.io-msgpack-parser/')),
    included.join(', '),
  );
  assert.ok(!included.some((name) => /protocol\/src\/socket\/(encoder|decoder)\.ts$/.test(name)), included.join(', '));
});

test('writes a source map beside every bundle', () => {
  for (const [file, result] of Object.entries(bundles)) {
    assert.ok(
      result.outputFiles.some((f) => f.path.endsWith(`${file}.map`)),
      file,
    );
  }
});

test('exports io as default and named from the ES module bundle', () => {
  assert.match(code('socket.io.esm.min.js'), /export\{[^}]*as default[^}]*\}/);
  assert.match(code('socket.io.esm.min.js'), /export\{[^}]*as io[,}]/);
});
