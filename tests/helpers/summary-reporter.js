/**
 * Prints one plain closing line ("jest: N passed, N failed, N skipped") so CI can read the
 * result of the run, whatever it knows of jest's own summary.
 */
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

const logDir = () => process.env.TEST_LOG_DIR || path.join(os.tmpdir(), 'wt-test-logs')

class SummaryReporter {
  /**
   * Each run starts with empty log files (tests/helpers/quiet-logs.js appends to them). The
   * files go, the folder stays: another run on the same machine may be writing into it.
   */
  onRunStart() {
    const dir = logDir()
    fs.mkdirSync(dir, { recursive: true })
    for (const f of fs.readdirSync(dir)) if (/^worker-\d+\.log$/.test(f)) fs.rmSync(path.join(dir, f), { force: true })
  }

  onRunComplete(_contexts, results) {
    const logs = logDir()
    process.stdout.write(`\nplatform log lines of this run: ${logs}/worker-*.log\n`)
    process.stdout.write(`\njest: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${results.numPendingTests} skipped\n`)
  }
}
module.exports = SummaryReporter
