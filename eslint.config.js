// Code style. The import arrows between layers are checked by dependency-cruiser
// (.dependency-cruiser.mjs, `npm run depcheck`), the core's freedom from Node by
// tsconfig.core.json; what neither sees is reading the clock or chance, caught here.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

const port = 'time and randomness reach the core through ports (time: src/ports/clock.ts)'

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
    ignores: ['src/core/**/*.test.ts', 'src/core/**/__fixtures__/**'],
    rules: {
      'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: port }, { object: 'Math', property: 'random', message: port }],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: port },
        { selector: "CallExpression[callee.name='Date']", message: port },
      ],
    },
  },
  {
    files: ['scripts/**/*.mjs', 'bin/**/*.js', '*.js', 'test/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly', fetch: 'readonly', setTimeout: 'readonly' } },
  },
)
