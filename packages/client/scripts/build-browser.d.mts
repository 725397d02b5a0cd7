// Types of build-browser.mjs for the TypeScript tests that import it.
import type { BuildOptions, BuildResult } from 'esbuild';

export function bundleOptions(options?: { source?: boolean }): Record<string, BuildOptions>;
export function buildBrowserBundles(options?: {
  source?: boolean;
  write?: boolean;
  only?: string[];
}): Promise<Record<string, BuildResult<{ metafile: true }>>>;
