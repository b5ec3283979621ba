import { sleep } from '../http/retry.js'

/** When polling stops and how often it asks. */
interface PollOptions {
  /** Epoch ms after which no further call is made. */
  deadline: number
  /** The pause between calls. */
  pollMs: number
  /** Aborting ends a pause at once, with the signal's reason. */
  signal?: AbortSignal
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
  const maxCalls = Math.ceil(Math.max(0, options.deadline - Date.now()) / options.pollMs) + 1
  for (let call = 1; ; call++) {
    const value = await poll()
    if (done(value)) return { value, done: true }
    const left = options.deadline - Date.now()
    if (left <= 0 || call >= maxCalls) return { value, done: false }
    await sleep(Math.min(options.pollMs, left), options.signal)
  }
}
