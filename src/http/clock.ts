import { sleep } from './retry.js'

/**
 * Where a wait reads the time and pauses. The action runs on `systemClock`; a test of a wait
 * (the status polls, the live log's pacing and drain) passes a virtual clock instead, so a
 * minute's wait takes no minute and its cadence is exact.
 */
export interface Clock {
  /** Epoch ms. */
  now(): number
  /** Resolves after `ms`; rejects with the signal's reason as soon as it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
  /** A signal that aborts `ms` from now with a TimeoutError, as AbortSignal.timeout does. */
  timeout(ms: number): AbortSignal
}

/**
 * A signal that aborts `ms` from now or when `outer` does, and the time-out alone (`budget`), to
 * tell a request that ran out of time from one that was cancelled.
 */
export function withBudget(
  ms: number,
  outer?: AbortSignal
): { budget: AbortSignal; signal: AbortSignal } {
  const budget = AbortSignal.timeout(ms)
  return { budget, signal: outer ? AbortSignal.any([budget, outer]) : budget }
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep,
  timeout: ms => AbortSignal.timeout(ms)
}
