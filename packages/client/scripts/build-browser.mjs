// Builds the browser bundles into dist/browser with esbuild: the script-tag build (plain and minified),
// the minified ES module, a WebSocket-only minified build, a msgpack one, and the ES2017 CommonJS file that the
// package.json `browser` field names for bundlers that ignore `exports`. Each gets a source map.
// Usage: node scripts/build-browser.mjs [--dist]   (--dist bundles the tsc output in dist/ instead of src/)
// The shipped bundles come from src/ (esbuild strips the types), the same input src/bundle.test.ts measures against
// the size budget: bundling tsc's output gave 11 bytes more (its `_a` alias for a class's static self-references).
import { build } from 'esbuild';

// Node diagnostics stay out of browsers: every `debug(...)` call of the client packages sits behind a `DEBUG:` label
// (dropped below), and the `debug` package itself resolves to this empty stand-in, so neither adds a byte. Other
// Node-only statements (the full CommonJS shape of `io`) sit behind a `NODE:` label, dropped too.
const withoutDebug = {
  name: 'without-debug',
  setup(build) {
    build.onResolve({ filter: /^debug$/ }, () => ({ path: 'debug', namespace: 'without-debug', sideEffects: false }));
    build.onLoad({ filter: /.*/, namespace: 'without-debug' }, () => ({
      contents: 'export default () => () => {};',
      loader: 'js',
    }));
  },
};
import { fileURLToPath } from 'node:url';

const pkg = fileURLToPath(new URL('..', import.meta.url));

// The msgpack bundle speaks socket.io-msgpack-parser's codec by default, as socket.io-client's msgpack bundle does:
// the Manager's default-codec module becomes that package's Encoder and Decoder (a build-time dependency only).
const withMsgpackCodec = {
  name: 'with-msgpack-codec',
  setup(build) {
    build.onResolve({ filter: /^\.\/default-codec\.js$/ }, () => ({
      path: 'default-codec',
      namespace: 'msgpack-codec',
    }));
    build.onLoad({ filter: /.*/, namespace: 'msgpack-codec' }, () => ({
      contents: "export { Encoder, Decoder } from 'socket.io-msgpack-parser';",
      loader: 'js',
      resolveDir: pkg,
    }));
  },
};

/** The esbuild options of each bundle, keyed by output file name. */
export function bundleOptions({ source = true } = {}) {
  const entry = (name) => `${pkg}/${source ? 'src' : 'dist'}/${name}.${source ? 'ts' : 'js'}`;
  const common = {
    bundle: true,
    platform: 'browser',
    // The browser condition selects engine-client's browser entry, so no Node or ws code is bundled.
    conditions: source ? ['switchboard-source', 'browser'] : ['browser'],
    target: 'es2022',
    sourcemap: true,
    legalComments: 'none',
    logLevel: 'warning',
    // Cross-class internals end in '_' (e.g. Manager.packet_): safe to shorten, nothing outside the bundle reads them.
    mangleProps: /[^_]_$/,
    dropLabels: ['DEBUG', 'NODE'],
    plugins: [withoutDebug],
  };
  const global = { ...common, entryPoints: [entry('browser-global')], format: 'iife' };
  return {
    'socket.io.js': { ...global },
    'socket.io.min.js': { ...global, minify: true },
    'socket.io.esm.min.js': { ...common, entryPoints: [entry('index')], format: 'esm', minify: true },
    'socket.io.msgpack.min.js': { ...global, minify: true, plugins: [withoutDebug, withMsgpackCodec] },
    'socket.io.websocket.min.js': {
      ...global,
      minify: true,
      alias: { '@switchboard/engine-client': '@switchboard/engine-client/websocket' },
    },
    // For bundlers that ignore `exports` and read the `browser` field (webpack 2-4, browserify): webpack 2 and 3 parse
    // ES2017 at most (acorn 5 at ecmaVersion 2017: no object spread), and they expect `require('socket.io-client')(url)` to work (socket.io's custom-parsers example does
    // that), which an ES module's namespace cannot be. So: CommonJS whose module.exports is `io`, carrying every
    // named export as a property, the shape of dist/index.cjs under require(). The NODE: statement that copies
    // them onto `io` stays, and the footer applies the 'module.exports' export as scripts/build-cjs.mjs does.
    'socket.io.es2017.cjs': {
      ...common,
      entryPoints: [entry('index')],
      format: 'cjs',
      target: 'es2017',
      dropLabels: ['DEBUG'],
      footer: { js: 'module.exports = module.exports["module.exports"];' },
    },
  };
}

/** Builds every bundle; with write false, returns the outputs in memory. */
export async function buildBrowserBundles({ source = true, write = true, only } = {}) {
  const results = {};
  for (const [file, options] of Object.entries(bundleOptions({ source }))) {
    if (only && !only.includes(file)) continue;
    results[file] = await build({ ...options, outfile: `${pkg}/dist/browser/${file}`, write, metafile: true });
  }
  return results;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildBrowserBundles({ source: !process.argv.includes('--dist') });
}
