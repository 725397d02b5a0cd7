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
    ignores: ['**/dist/**', '**/node_modules/**', 'bench/results/**', 'test-results/**', '.tmp/**'],
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
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
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
    // `DEBUG:` labels mark diagnostics the browser build drops (esbuild dropLabels); nothing jumps to them.
    files: ['packages/client/src/**', 'packages/engine-client/src/**'],
    rules: { 'no-unused-labels': 'off' },
  },
);
