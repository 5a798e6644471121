import { runAsProcess } from '../cli-entry'
import { runBackupCli } from './cli'

/** npm run backup / restore / backup:verify [-- ...]: see cli.ts. */
runAsProcess(runBackupCli)
