// Lint for src/, test/, bench/ and scripts/. The folder boundaries of docs/ARCHITECTURE.md are
// written here as import rules (LAYERS below), so an import that runs upwards or sideways fails
// `npm test`. Import circles are checked by test/unit/house/import-graph.test.ts.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * What each folder of src/ may import from the other folders (files at the top of src/, such as
 * errors.ts and clock.ts, are open to all). The supervisor is the one module that knows
 * everything; cli/ sits on top and is the only place besides dashboard/ that prints.
 */
export const LAYERS = {
  events: [],
  agents: ['events'],
  config: [],
  budget: ['agents', 'events'],
  plan: ['agents', 'config', 'budget'],
  process: [],
  copy: ['process', 'session', 'config'],
  session: ['config', 'plan', 'process', 'events', 'agents', 'budget'],
  control: ['agents', 'session'],
  interact: [],
  safety: ['agents', 'config', 'events', 'process', 'session'],
  recovery: ['agents', 'events', 'config'],
  review: ['agents', 'config', 'events', 'session', 'process'],
  supervisor: [
    'agents',
    'budget',
    'config',
    'control',
    'copy',
    'events',
    'plan',
    'process',
    'recovery',
    'review',
    'safety',
    'session',
    'interact',
  ],
  dashboard: ['agents', 'budget', 'config', 'control', 'events', 'session', 'plan', 'process', 'review', 'safety', 'recovery', 'copy'],
  doctor: ['agents', 'config', 'process', 'safety', 'session', 'supervisor'],
  cli: ['*'],
};

const FOLDERS = Object.keys(LAYERS);

// child processes are started only from src/process/ (one place that knows process groups, kill
// paths and the sandbox's argv)
const SPAWNERS = ['node:child_process', 'child_process', 'execa'].map((name) => ({
  name,
  message: 'spawn processes from src/process/ only (docs/ARCHITECTURE.md).',
}));

/** One no-restricted-imports rule per folder: its layer, and no spawning outside process/. */
function boundaryFor(folder) {
  const allowed = LAYERS[folder];
  const forbidden = allowed.includes('*') ? [] : FOLDERS.filter((f) => f !== folder && !allowed.includes(f));
  return {
    files: [`src/${folder}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: folder === 'process' ? [] : SPAWNERS,
          patterns: forbidden.map((f) => ({
            group: [`**/${f}/*`],
            message: `src/${folder}/ may not import src/${f}/ (docs/ARCHITECTURE.md: ${folder} may import ${allowed.join(', ') || 'no other folder'}).`,
          })),
        },
      ],
    },
  };
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.ci/**', 'fixtures/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        queueMicrotask: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        structuredClone: 'readonly',
        performance: 'readonly',
        fetch: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-control-regex': 'off',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  { files: ['src/*.ts'], rules: { 'no-restricted-imports': ['error', { paths: SPAWNERS }] } },
  // signalling processes is process work too: one place knows pid reuse, groups and ESRCH/EPERM
  {
    files: ['src/**/*.ts'],
    ignores: ['src/process/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'kill',
          message: 'signal processes through src/process/ (kill-group.ts) only (docs/ARCHITECTURE.md).',
        },
      ],
    },
  },
  ...FOLDERS.map(boundaryFor),
  // the dashboard's page runs in the browser
  {
    files: ['src/dashboard/web/public/**/*.js'],
    languageOptions: {
      globals: {
        document: 'readonly',
        location: 'readonly',
        URLSearchParams: 'readonly',
        EventSource: 'readonly',
        requestAnimationFrame: 'readonly',
        addEventListener: 'readonly',
        confirm: 'readonly',
        fetch: 'readonly',
        window: 'readonly',
      },
    },
  },
  // tests read journals and JSON output as loose records
  { files: ['test/**'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  {
    files: ['**/*.mjs', '**/*.js', 'bench/**', 'scripts/**'],
    rules: { '@typescript-eslint/no-require-imports': 'off', '@typescript-eslint/no-unused-vars': 'off' },
  },
);
