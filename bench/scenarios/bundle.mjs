// @ts-check
// Scenario 6, browser bundle size: gzip (level 9) of the minified browser builds, the full client and the
// WebSocket-only entry. socket.io-client ships no WebSocket-only build (its Manager always pulls in every transport).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** @type {Record<string, { full: string, websocket?: string }>} */
const FILES = {
  ours: {
    full: 'packages/client/dist/browser/socket.io.min.js',
    websocket: 'packages/client/dist/browser/socket.io.websocket.min.js',
  },
  socketio: { full: 'node_modules/socket.io-client/dist/socket.io.min.js' },
};

/**
 * Gzipped size in KB (1,000 bytes, as bundle sizes are usually quoted) of a file under the repository root.
 * @param {string} path
 * @returns {number}
 */
export function gzippedKB(path) {
  return gzipSync(readFileSync(join(root, path)), { level: 9 }).length / 1000;
}

/** @type {import('./types.mjs').ScenarioDef} */
export const bundle = {
  name: 'bundle',
  title: 'browser bundle size',
  impls: ['ours', 'socketio'],
  maxRounds: 1,
  metrics: [
    {
      id: 'bundle.full',
      label: 'full client, min+gzip',
      unit: 'KB',
      better: 'lower',
      target: { op: '<=', value: 10, of: 'value', unit: 'KB' },
    },
    { id: 'bundle.websocket', label: 'WebSocket-only client, min+gzip', unit: 'KB', better: 'lower' },
  ],
  async run(impl) {
    const files = FILES[impl];
    if (files === undefined) return {};
    // Ours is bundled afresh (esbuild, a second) as the build does, so the size is that of the code measured.
    if (impl === 'ours')
      execFileSync(process.execPath, [join(root, 'packages/client/scripts/build-browser.mjs')], { stdio: 'inherit' });
    if (!existsSync(join(root, files.full))) {
      throw new Error(`${files.full} is missing`);
    }
    /** @type {Record<string, number>} */
    const values = { 'bundle.full': gzippedKB(files.full) };
    if (files.websocket !== undefined && existsSync(join(root, files.websocket))) {
      values['bundle.websocket'] = gzippedKB(files.websocket);
    }
    return values;
  },
};
