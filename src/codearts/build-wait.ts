import { sleep } from './retry.js'

const ENDED = new Set([
  'success',
  'succeeded',
  'failed',
  'failure',
  'fail',
  'error',
  'aborted',
  'cancelled',
  'canceled',
  'timeout',
  'stopped'
])

/** Whether a record status (any case) says the build has ended; anything else means wait. */
export function isBuildEnded(status: string): boolean {
  return ENDED.has(status.toLowerCase())
}

/** When polling stops and how often it asks. */
export interface PollOptions {
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
