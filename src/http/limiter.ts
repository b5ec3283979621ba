/**
 * The run's pool of request slots: at most `slots` tasks hold one at a time, and the others wait
 * their turn in the order they asked (first in, first out). A run makes one, of `concurrency`
 * slots (`RunContext.limiter`), and two kinds of task draw from it, so that together they never
 * keep more than `concurrency` requests on the connections:
 * - the summary sections' reads (readSections, report/summary.ts), each holding a slot for its
 *   request and its retries, 30 s at most;
 * - the stage log downloads (download/downloader.ts), each holding a slot from its first
 *   request to its last, retries included.
 * Whoever asks first goes first: runSteps (main.ts) asks for the sections' slots before the
 * downloads ask for theirs, so the section reads go first on the connections.
 *
 * Guarantees:
 * - a task given a free slot starts at once, in the same tick as `run` (no await before it), so
 *   tasks asked for one after another start, and send their requests, in that order;
 * - a slot is held until the task's promise settles, fulfilled or rejected, then handed straight
 *   to the longest-waiting task, if any;
 * - `run` settles as its task does; a task that throws (at once or later) frees its slot like
 *   one that returns.
 *
 * No task is dropped or timed out here: bounding a task's time is the task's own affair.
 */
export class Limiter {
  private free: number
  /** Who waits for a slot, longest first: each is woken holding the slot it was handed. */
  private readonly waiting: (() => void)[] = []

  constructor(readonly slots: number) {
    // A programming error, never a user's: the input `concurrency` is checked to be 1 or more.
    if (!Number.isInteger(slots) || slots < 1) {
      throw new RangeError(`a limiter needs a whole number of slots from 1, not ${slots}`)
    }
    this.free = slots
  }

  /** Runs `task` in a slot, at once when one is free, else after the tasks that asked before it. */
  run<T>(task: () => Promise<T>): Promise<T> {
    if (this.free > 0) {
      this.free--
      return this.holding(task)
    }
    return new Promise<void>(resolve => this.waiting.push(resolve)).then(() => this.holding(task))
  }

  private async holding<T>(task: () => Promise<T>): Promise<T> {
    try {
      return await task()
    } finally {
      this.release()
    }
  }

  private release(): void {
    const next = this.waiting.shift()
    // The slot passes to the next in line without being freed, so no later `run` can take it.
    if (next) next()
    else this.free++
  }
}
