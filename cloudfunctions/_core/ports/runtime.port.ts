export interface Clock {
  now(): Date
}

export interface Random {
  bytes(n: number): Uint8Array
  id(): string
}

export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void
  warn(msg: string, fields?: Record<string, unknown>): void
  error(msg: string, fields?: Record<string, unknown>): void
}
