import { openDb } from '../../../cloudfunctions/_core/adapters/local/sqlite.db'
import { sqliteBatchRepo } from '../../../cloudfunctions/_core/adapters/local/sqlite.batch.repo'
import { batchRepoContract } from '../../helpers/batch-repo.contract'

describe('sqliteBatchRepo (the BatchRepo contract)', () => {
  batchRepoContract(() => sqliteBatchRepo(openDb(':memory:')))
})
