import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

/** Import patterns that reach into a top-level folder, wherever the importing file sits. */
const into = (folder) => [`**/${folder}`, `**/${folder}/**`];

/**
 * The layers (STYLE.md 1, 24; ARCHITECTURE.md): client/, server/ and simulators/ share only shared/;
 * shared/ is the contract and pure domain functions, with no I/O. test/ and bench/ may reach anything.
 * test/integration/layers.test.ts proves each rule refuses what it should.
 */
const LAYERS = {
  'client/**/*.{ts,tsx}': ['server', 'simulators', 'bench', 'test'],
  'server/**/*.ts': ['client', 'simulators', 'bench', 'test'],
  'simulators/**/*.ts': ['client', 'server', 'bench', 'test'],
};

const TEST_FILES = ['**/*.test.{ts,tsx}', '**/testing.ts', '**/test-support/**', '**/testBroker.ts', '**/fakeClient.ts', '**/fixtures.ts'];

export default tseslint.config(
  { ignores: ['node_modules/', 'client/dist/', 'bench/results/', 'data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['client/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  ...Object.entries(LAYERS).map(([files, forbidden]) => ({
    files: [files],
    ignores: TEST_FILES,
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: forbidden.flatMap(into), message: 'client/, server/ and simulators/ import only shared/ of each other (ARCHITECTURE.md).' }] },
      ],
    },
  })),
  {
    // shared/ is the contract: no I/O, never imports client, server or simulators (STYLE.md 1).
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs', 'path', 'http', 'net', 'os', 'child_process'], message: 'shared/ does no I/O.' },
            { group: ['client', 'server', 'simulators', 'bench', 'test'].flatMap(into), message: 'shared/ imports nothing outside shared/.' },
          ],
        },
      ],
    },
  },
  {
    // Domain and alarm code is pure: an injected clock, no timers (STYLE.md 8). The owner calls tick(now).
    files: ['server/domain/**/*.ts', 'server/alarms/**/*.ts'],
    ignores: TEST_FILES,
    rules: {
      'no-restricted-globals': [
        'error',
        ...['setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask'].map((name) => ({
          name,
          message: 'Domain code has no timers: the tick pipeline (server/pipeline.ts) calls it with the time.',
        })),
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Use the injected clock (now) instead.' },
        { object: 'performance', property: 'now', message: 'Use the injected clock (now) instead.' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'new Date() reads the wall clock: use the injected clock.' },
      ],
    },
  },
);
