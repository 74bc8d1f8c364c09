// Lint keeps the import arrows of docs/architecture (style rule 2): the core is pure, ports
// are types, presenters see only core types, and only adapters wire SDKs together.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

const nodeIo = ['node:fs', 'node:fs/promises', 'node:child_process', 'node:net', 'node:http', 'node:https', 'node:os', 'fs', 'child_process', 'net', 'http', 'https']
const sdks = ['@actions/*', 'probot', '@kubernetes/client-node', '@octokit/*', 'nock']

function restrict(names, patterns) {
  return {
    'no-restricted-imports': ['error', { paths: names.map((name) => ({ name, message: 'I/O belongs in src/infra behind a port' })), patterns: patterns.map((group) => ({ group, message: 'this import crosses a layer boundary (see README, Architecture)' })) }],
  }
}

export default tseslint.config(
  { ignores: ['dist/**', 'lib/**', 'node_modules/**', '.tools/**', 'coverage/**', '.cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts'],
    rules: restrict([...nodeIo], [sdks, ['**/infra/**', '**/adapters/**', '**/report/**']]),
  },
  {
    files: ['src/ports/**/*.ts'],
    rules: restrict([...nodeIo], [sdks, ['**/infra/**', '**/adapters/**', '**/report/**']]),
  },
  {
    files: ['src/report/**/*.ts'],
    ignores: ['src/report/**/*.test.ts'],
    rules: restrict([...nodeIo], [sdks, ['**/infra/**', '**/adapters/**']]),
  },
  {
    files: ['src/infra/**/*.ts'],
    ignores: ['src/infra/**/*.test.ts'],
    rules: restrict([], [['**/adapters/**', '**/report/**']]),
  },
  {
    files: ['scripts/**/*.mjs', 'bin/**/*.js', '*.js', 'test/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly', fetch: 'readonly', setTimeout: 'readonly' } },
  },
)
