// jest runs in ESM mode (node --experimental-vm-modules): @actions/*, probot and
// @kubernetes/client-node ship ESM only. ts-jest transpiles each file on its own
// (isolatedModules); `npm run typecheck` does the whole-program type check.
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.test.json' }],
  },
  testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
  testTimeout: 60000,
}
