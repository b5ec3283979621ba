/**
 * A virtual clock for in-process tests of the action's waits. It has the shape of the action's
 * `Clock` (src/http/clock.ts: now, sleep, timeout), and time on it moves only when everything
 * waits on it: `drive` runs the work and, whenever nothing outside the clock is going on (no
 * request on its way to or in the emulator, nothing new for a few turns of the event loop),
 * jumps to the earliest pending timer and fires it. A wait of a minute takes the time its
 * requests take, and every pause lasts exactly what the code asked for.
 */

/** What goes on outside the clock: requests an emulator received, and those not answered yet. */
export type Activity = () => { received: number; answering: number }

interface Timer {
  at: number
  order: number
  fire: () => void
}

// Turns of the event loop with nothing new before time moves: a request or an answer crosses
// the loopback in one or two, so a reply still being read or a request just sent is waited for.
const QUIET_TURNS = 4
// A bound on the timers one `drive` fires, so a loop that never ends fails instead of spinning.
const MAX_FIRED = 100_000

/** One turn of the event loop, I/O included. */
function turn(): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, 0))
}

export class VirtualClock {
  private current: number
  private readonly timers: Timer[] = []
  private scheduled = 0
  private fired = 0

  constructor(
    private readonly activity: Activity = () => ({ received: 0, answering: 0 }),
    start = Date.UTC(2026, 8, 10, 11, 9, 20)
  ) {
    this.current = start
  }

  now = (): number => this.current

  sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason)
      const onAbort = (): void => {
        this.cancel(timer)
        reject(signal?.reason)
      }
      const timer = this.schedule(ms, () => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      })
      signal?.addEventListener('abort', onAbort, { once: true })
    })

  timeout = (ms: number): AbortSignal => {
    const controller = new AbortController()
    this.schedule(ms, () =>
      controller.abort(new DOMException('The operation timed out.', 'TimeoutError'))
    )
    return controller.signal
  }

  /** Runs `work` to its end, moving time on whenever everything waits on the clock. */
  async drive<T>(work: Promise<T>): Promise<T> {
    let settled = false
    const outcome = work.then(
      value => ({ value }),
      (error: unknown) => ({ error })
    )
    void outcome.then(() => (settled = true))
    const firedBefore = this.fired
    while (!settled) {
      if (!(await this.quiet(() => settled))) continue
      if (this.fired - firedBefore >= MAX_FIRED) {
        throw new Error(`the work still runs after ${MAX_FIRED} timers`)
      }
      this.advance()
    }
    const result = await outcome
    if ('error' in result) throw result.error
    return result.value
  }

  private schedule(ms: number, fire: () => void): Timer {
    const timer = { at: this.current + Math.max(0, ms), order: this.scheduled++, fire }
    this.timers.push(timer)
    return timer
  }

  private cancel(timer: Timer): void {
    const at = this.timers.indexOf(timer)
    if (at >= 0) this.timers.splice(at, 1)
  }

  /** True once QUIET_TURNS turns passed with a timer pending and nothing else going on. */
  private async quiet(settled: () => boolean): Promise<boolean> {
    const state = (): string => {
      const { received, answering } = this.activity()
      return `${this.scheduled}/${this.fired}/${this.timers.length}/${received}/${answering}`
    }
    const before = state()
    for (let i = 0; i < QUIET_TURNS; i++) {
      await turn()
      if (settled() || state() !== before) return false
    }
    return this.timers.length > 0 && this.activity().answering === 0
  }

  /** Moves to the earliest timer (the first scheduled among equals) and fires it. */
  private advance(): void {
    const next = this.timers.reduce((a, b) =>
      b.at < a.at || (b.at === a.at && b.order < a.order) ? b : a
    )
    this.cancel(next)
    this.current = Math.max(this.current, next.at)
    this.fired++
    next.fire()
  }
}
