import { runAsProcess } from '../cli-entry'
import { runStaffCli } from './cli'

/** npm run staff -- <command> [args]: see cli.ts USAGE. */
runAsProcess(runStaffCli)
