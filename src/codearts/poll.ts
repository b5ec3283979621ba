import { systemClock, type Clock } from '../http/clock.js'

/** When polling stops and how often it asks. */
interface PollOptions {
  /** Epoch ms after which no further call is made. */
  deadline: number
  pollMs: number
  /** Aborting ends a pause at once, with the signal's reason. */
  signal?: AbortSignal
  /** The clock the deadline is read by and the pauses are taken on; the real one by default. */
  clock?: Clock
}

/**
 * Calls `poll` until `done` accepts its value or the deadline passes, pausing `pollMs` between
 * calls (never past the deadline). Resolves with the last value and whether it was accepted;
 * a call that throws ends the polling with that error. At most deadline/pollMs + 1 calls.
 */
export async function pollUntil<T>(
  poll: () => Promise<T>,
  done: (value: T) => boolean,
  options: PollOptions
): Promise<{ value: T; done: boolean }> {
  const { clock = systemClock } = options
  const maxCalls = Math.ceil(Math.max(0, options.deadline - clock.now()) / options.pollMs) + 1
  for (let call = 1; ; call++) {
    const value = await poll()
    if (done(value)) return { value, done: true }
    const left = options.deadline - clock.now()
    if (left <= 0 || call >= maxCalls) return { value, done: false }
    await clock.sleep(Math.min(options.pollMs, left), options.signal)
  }
}
