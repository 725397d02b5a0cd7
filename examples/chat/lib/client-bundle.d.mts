// Types for client-bundle.mjs.
/** The browser bundle's path, or null when @switchboard/server is missing or was built without client-dist/. */
export function findBrowserBundle(): string | null;
/** What to tell someone whose bundle is missing. */
export const MISSING_BUNDLE_HINT: string;
