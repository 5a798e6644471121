/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.tsx?$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  // integration and browser tests start servers; 2 workers match the 2 cores
  maxWorkers: 2,
  testTimeout: 30000,
  reporters: ['default', '<rootDir>/tests/helpers/summary-reporter.js'],
  // the platform's log lines go to a file per worker, not into the test output
  setupFiles: ['<rootDir>/tests/helpers/quiet-logs.js'],
}
