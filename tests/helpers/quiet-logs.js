/**
 * Jest setup: the platform's JSON log lines (local cloud, wx wiring, child processes that inherit
 * the environment) go to one file per worker instead of the test output, so a failing test shows
 * its own output only. The file is named at the end of the run by the summary reporter.
 * A test that asserts on log lines passes its own sink to jsonLogger.
 */
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

if (!process.env.LOG_FILE) {
  const dir = process.env.TEST_LOG_DIR || path.join(os.tmpdir(), 'wt-test-logs')
  fs.mkdirSync(dir, { recursive: true })
  process.env.LOG_FILE = path.join(dir, `worker-${process.env.JEST_WORKER_ID || '1'}.log`)
}
