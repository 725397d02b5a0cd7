// Copies the browser client files this package serves (CLIENT_FILES of src/serve-client.ts) from
// @switchboard/client's dist/browser/ into client-dist/, with client.json naming the client's version (the files'
// ETag): the published server brings what it serves, as socket.io ships its client-dist/. The root `npm run build`
// runs this after tsc (it reads the list from dist/) and after the client's browser build.
// Usage: node scripts/copy-client-dist.mjs
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLIENT_DIST_MANIFEST, CLIENT_FILES } from '../dist/serve-client.js';

const target = fileURLToPath(new URL('../client-dist/', import.meta.url));
// A devDependency: the client is a build input of this package, never a run-time one.
const clientManifest = createRequire(import.meta.url).resolve('@switchboard/client/package.json');
const source = join(dirname(clientManifest), 'dist', 'browser');
const { version } = JSON.parse(readFileSync(clientManifest, 'utf8'));

// Start empty, so a file dropped from CLIENT_FILES does not linger in the tarball.
rmSync(target, { recursive: true, force: true });
mkdirSync(target);
for (const file of CLIENT_FILES) {
  try {
    copyFileSync(join(source, file), join(target, file));
  } catch (err) {
    throw new Error(`${join(source, file)} is missing: build the client's browser bundles first`, { cause: err });
  }
}
writeFileSync(join(target, CLIENT_DIST_MANIFEST), `${JSON.stringify({ version })}\n`);
