import type { AppConfig } from '../config'
import type { CardRepo } from '../ports/card.repo'
import type { OrderRepo } from '../ports/order.repo'
import type { PayPort } from '../ports/pay.port'
import type { Clock, Logger, Random } from '../ports/runtime.port'
import type { StoragePort } from '../ports/storage.port'

/** Everything a handler needs from the outside world; built by one wiring place per cloud. */
export interface Deps {
  config: AppConfig
  cards: CardRepo
  orders: OrderRepo
  pay: PayPort
  storage: StoragePort
  clock: Clock
  random: Random
  log: Logger
}
