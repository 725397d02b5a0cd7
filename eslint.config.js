// Lint for the whole repo: typescript-eslint strict and type-aware over TypeScript, ESLint's recommended rules over
// plain JavaScript (bench, scripts, examples, the admin UI). Prettier owns layout, so no stylistic rules here.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** node:test's describe/it/before/after return promises the runner tracks itself: awaiting them is not required. */
const nodeTestCalls = {
  from: 'package',
  package: 'node:test',
  name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'],
};

export default tseslint.config(
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  {
    ignores: [
      '**/dist/**',
      '**/client-dist/**',
      '**/node_modules/**',
      'bench/results/**',
      'test-results/**',
      '.tmp/**',
    ],
  },
  js.configs.recommended,
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { ecmaVersion: 2024, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      'no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    files: ['examples/chat/public/**/*.js', 'packages/admin/ui/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // The dashboard loads the client bundle and its chart script as classic scripts before admin.js.
    files: ['packages/admin/ui/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { io: 'readonly', SbCharts: 'readonly' } },
  },
  {
    // Parts of this script are functions handed to page.evaluate, which run in the browser.
    files: ['packages/admin/scripts/load-10k.mjs'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Written the way the socket.io docs write them, to prove those test files run unchanged (jest and vitest globals).
    files: ['tests/packaging/docs-style/**'],
    languageOptions: { globals: { ...globals.jest } },
  },
  {
    files: ['**/*.{ts,mts,cts}'],
    extends: [tseslint.configs.strictTypeChecked],
    languageOptions: {
      parserOptions: {
        // One program for sources and tests: the package tsconfigs leave tests out (they are not emitted), so the
        // project service would find no tsconfig for them; one program is also faster than fifteen.
        project: './tsconfig.eslint.json',
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // `_name` marks a parameter an interface requires or a binding destructured away on purpose.
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      // Numbers and booleans print as expected in messages; objects and unknowns still need String() or JSON.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // `() => socket.emit(...)` callbacks that return whatever emit returns are idiomatic for this API.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: [nodeTestCalls] }],
      // The public API is also called from plain JavaScript and fed by peers: guards for values the types exclude stay.
      '@typescript-eslint/no-unnecessary-condition': 'off',
      // Error classes re-declare the constructor to narrow `code` to their layer's codes; transports make it public.
      '@typescript-eslint/no-useless-constructor': 'off',
      // Option checks print what a JavaScript caller actually passed: String(x) there is not redundant.
      '@typescript-eslint/no-unnecessary-type-conversion': 'off',
      // Values from JavaScript callers and peers are sent in their string form, as engine.io and socket.io do.
      '@typescript-eslint/no-base-to-string': 'off',
      // `clients` and header maps are plain objects in engine.io's API: entries are deleted, not set to undefined.
      '@typescript-eslint/no-dynamic-delete': 'off',
      // An ack's or a callback's error is passed on as it was given, as socket.io does.
      '@typescript-eslint/prefer-promise-reject-errors': 'off',
      // Codecs build wire text with `'' + number`, the fastest form in V8.
      '@typescript-eslint/restrict-plus-operands': ['error', { allowNumberAndString: true }],
      // Event-method generics mirror socket.io's declarations, so existing typed code and overloads fit unchanged.
      '@typescript-eslint/no-unnecessary-type-parameters': 'off',
    },
  },
  {
    // Type tests: they exercise untyped (`any`) and CommonJS use of the API on purpose, and `void x` marks a binding
    // that exists only to be type-checked.
    files: ['**/*.test-d.ts', '**/*.test-d.cts'],
    rules: {
      '@typescript-eslint/no-meaningless-void-operator': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    // Tests drive the official socket.io packages, raw wire data and fakes: their `any`, a `!` on something just
    // asserted (it throws at that line, failing the test), detached methods of fakes, async stubs without await and
    // the deprecated aliases they still cover are all deliberate.
    files: ['**/*.test.ts', '**/*.fixture.ts', 'tests/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-enum-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-deprecated': 'off',
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
    },
  },
  {
    // The browser bundle has a 10 KB budget: `return f()` in a void method is the shortest form, and arrays print in
    // error messages as their comma-joined items without a join() call.
    files: ['packages/client/src/**', 'packages/engine-client/src/**'],
    rules: {
      '@typescript-eslint/no-confusing-void-expression': 'off',
      '@typescript-eslint/restrict-template-expressions': 'off',
    },
  },
  {
    // `DEBUG:` labels mark diagnostics the browser build drops (esbuild dropLabels); nothing jumps to them.
    files: ['packages/client/src/**', 'packages/engine-client/src/**'],
    rules: { 'no-unused-labels': 'off' },
  },
);
