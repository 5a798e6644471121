const swc = ['@swc/jest', { jsc: { target: 'es2022' } }]

/** What every project shares. */
const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  transform: { '^.+\\.tsx?$': swc },
  // the platform's log lines go to a file per worker, not into the test output
  setupFiles: ['<rootDir>/tests/helpers/quiet-logs.js'],
}

/** @type {import('jest').Config} */
module.exports = {
  // integration and browser tests start servers; 2 workers match the 2 cores
  maxWorkers: 2,
  testTimeout: 30000,
  reporters: ['default', '<rootDir>/tests/helpers/summary-reporter.js'],
  projects: [
    {
      ...common,
      displayName: 'default',
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/tests/realsdk/', '<rootDir>/tests/weapp/'],
    },
    {
      // The WeChat adapters again, through the REAL wx-server-sdk: the fake's database is
      // swapped for the SDK over an in-process CloudBase stand-in (tests/realsdk/real-wx-cloud.ts),
      // plus the real-SDK suites of tests/realsdk. No test may reach the network.
      ...common,
      displayName: 'realsdk',
      testMatch: ['<rootDir>/tests/realsdk/**/*.test.ts', '<rootDir>/tests/adapters/wx/wx-cloud.fake.test.ts', '<rootDir>/tests/adapters/wx/wx.*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', 'wx\\.indexes\\.test\\.ts$'],
      moduleNameMapper: { '^(\\.\\./)+fakes/wx-cloud\\.fake$': '<rootDir>/tests/realsdk/real-wx-cloud.ts' },
      setupFilesAfterEnv: ['<rootDir>/tests/realsdk/no-network.setup.ts'],
    },
    {
      // The mini-program's weapp code paths (TARO_ENV=weapp) with the Taro API mocked.
      ...common,
      displayName: 'weapp',
      testMatch: ['<rootDir>/tests/weapp/**/*.test.ts'],
      moduleNameMapper: { '^@shared/(.*)$': '<rootDir>/types/$1' },
      setupFiles: [...common.setupFiles, '<rootDir>/tests/weapp/taro-env.setup.js'],
    },
  ],
}
