// Finds the browser bundle that the Socket.IO server serves at /socket.io/socket.io.js, to warn early if unbuilt.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The package that carries (in client-dist/, copied from the client at build) the files it serves. */
const SERVER_PACKAGE = '@switchboard/server';

/**
 * @returns {string | null} the bundle's path, or null when the server package is missing or was built without it
 */
export function findBrowserBundle() {
  try {
    const require = createRequire(import.meta.url);
    const file = join(dirname(require.resolve(`${SERVER_PACKAGE}/package.json`)), 'client-dist', 'socket.io.js');
    return existsSync(file) ? file : null;
  } catch {
    return null;
  }
}

/** What to tell someone whose bundle is missing. */
export const MISSING_BUNDLE_HINT =
  `${SERVER_PACKAGE} has no client-dist/socket.io.js, so /socket.io/socket.io.js will answer 404 and the page ` +
  "cannot connect. Run `npm run build` at the repository root (it builds the client's browser bundles and copies " +
  'them into the server package).';
