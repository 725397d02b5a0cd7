// Finds the browser bundle that the Socket.IO server serves at /socket.io/socket.io.js, to warn early if unbuilt.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The package whose dist/browser/ our server serves the script-tag bundle from. */
const CLIENT_PACKAGE = '@switchboard/client';

/**
 * @returns {string | null} the bundle's path, or null when the client package is missing or not built
 */
export function findBrowserBundle() {
  try {
    const require = createRequire(import.meta.url);
    const file = join(dirname(require.resolve(`${CLIENT_PACKAGE}/package.json`)), 'dist', 'browser', 'socket.io.js');
    return existsSync(file) ? file : null;
  } catch {
    return null;
  }
}

/** What to tell someone whose bundle is missing. */
export const MISSING_BUNDLE_HINT =
  `The browser bundle of ${CLIENT_PACKAGE} is not built, so /socket.io/socket.io.js will answer 404 and the page ` +
  "cannot connect. Run `npm run build` at the repository root (it must build the client's browser bundles).";
