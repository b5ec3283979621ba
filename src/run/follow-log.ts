import * as core from '@actions/core'
import { CodeArtsApiError } from '../codearts/api-error.js'
import type { JobBuild } from '../codearts/job-build.js'
import { readLiveLog, type LiveLogChunk } from '../codearts/live-log.js'
import {
  FOLLOW_BEHIND_MS,
  FOLLOW_CAP_BYTES,
  FOLLOW_DRAIN_MS,
  FOLLOW_PAUSE_MS,
  FOLLOW_REQUEST_MS
} from '../constants.js'
import { errorMessage } from '../errors.js'
import { printInert } from '../report/job-log.js'
import type { LogCut } from '../report/run-result.js'
import { sanitizeForLog } from '../server-text.js'
import { callOptions, type RunContext, type Wait } from './context.js'

// A request's own time limit is the time left to `until`, so when the wait or the drain ends it
// fails a few milliseconds either side of `until` (a timer and the clock's `now`
// round differently): a failure this close to the end is the end cutting it, not the API failing.
const END_MARGIN_MS = 100

/** Answers at the first request that mean the live log API is not offered here. */
const NOT_OFFERED = new Set([400, 404, 501])

/** Where the follower stands; only `following` and `draining` read. */
type Phase =
  /** Reading while the build runs; `behindSince` is when the answers began to say `has_more` without a break. */
  | { name: 'following'; behindSince?: number; saidBehind: boolean }
  /** The build has ended: reading on until `until` (the clock's epoch ms) for its last lines. */
  | { name: 'draining'; until: number }
  /** An answer asked after the build ended said nothing more is ready: the log was shown to its end. */
  | { name: 'drained' }
  /** Reading is over: cut at the cap, failed, or finished. */
  | { name: 'stopped' }

function notOffered(error: unknown): boolean {
  return (
    error instanceof CodeArtsApiError &&
    (NOT_OFFERED.has(error.details.status) || error.details.envelope === true)
  )
}

/**
 * Follows a running build's live log into the job log, beside the status polls: each piece
 * once, in order, whole lines only (an unfinished line waits for its end or the build's), as
 * text that can raise no workflow command. While the answers say more is ready it asks again as
 * soon as the pause allows; once caught up, after `poll-seconds`. It never fails the step: a
 * failure stops the following with one notice or warning, and the wait goes on with status lines.
 */
export class LogFollower {
  private phase: Phase = { name: 'following', saidBehind: false }
  private offset = 0
  private unfinished = ''
  private printedBytes = 0
  private answered = false
  private lastAsked = -Infinity
  private loop: Promise<void> = Promise.resolve()
  /** Ends the reading: the wait is over, or the drain ran out. */
  private readonly halt = new AbortController()
  /** Ends a pause while caught up: the build has ended. */
  private readonly wake = new AbortController()
  private readonly stopped: AbortSignal

  constructor(
    private readonly ctx: RunContext,
    private readonly build: JobBuild,
    private readonly wait: Pick<Wait, 'pollMs' | 'deadline' | 'clock'>
  ) {
    this.stopped = AbortSignal.any([ctx.cancellation.signal, this.halt.signal])
  }

  /** Starts reading beside the status polls; it ends with `drain`, `stop`, the wait's end or a cancel. */
  start(): void {
    this.loop = this.follow().catch((error: unknown) => this.warn(errorMessage(error)))
  }

  /**
   * Once the build has ended: reads on for at most 10 s (or `poll-seconds`, if longer) until an
   * answer says nothing more is ready, then prints the last, unfinished line. Resolves with how
   * much was shown when the log was not shown to its end and no notice or warning said so yet.
   */
  async drain(): Promise<LogCut | undefined> {
    const drainMs = Math.max(FOLLOW_DRAIN_MS, this.wait.pollMs)
    if (this.phase.name === 'following') {
      this.phase = { name: 'draining', until: this.wait.clock.now() + drainMs }
    }
    this.wake.abort()
    // A request asked before the build ended may still be waiting: it, too, ends with the drain.
    const drainEnd = this.wait.clock.timeout(drainMs)
    const halt = (): void => this.halt.abort()
    drainEnd.addEventListener('abort', halt, { once: true })
    await this.loop
    drainEnd.removeEventListener('abort', halt)
    if (this.phase.name !== 'draining' || this.ctx.cancellation.signal.aborted) {
      this.finish()
      return undefined
    }
    // Cut by the drain's end. The job log ends at the end of a line: the unfinished one is left
    // to the stage logs.
    this.unfinished = ''
    this.phase = { name: 'stopped' }
    return { shownBytes: this.printedBytes }
  }

  /** Stops reading now and prints the unfinished line: the wait ran out or the status could not be read. */
  async stop(): Promise<void> {
    this.halt.abort()
    await this.loop
    this.finish()
  }

  /** Whether the follower still reads: a method, so a phase changed by an awaited call is seen. */
  private reading(): boolean {
    return this.phase.name === 'following' || this.phase.name === 'draining'
  }

  private async follow(): Promise<void> {
    while (this.reading()) {
      const until = this.phase.name === 'draining' ? this.phase.until : this.wait.deadline
      const pause = this.lastAsked + FOLLOW_PAUSE_MS - this.wait.clock.now()
      if (pause > 0 && !(await this.rest(pause, this.stopped))) return
      if (this.wait.clock.now() >= until) return
      const askedIn = this.phase
      const askedAt = (this.lastAsked = this.wait.clock.now())
      const chunk = await this.read(until)
      if (chunk === undefined) return
      this.answered = true
      const moved = this.take(chunk)
      if (!this.reading()) return
      if (chunk.hasMore) {
        // Only an answer that handed out text shows the log coming faster than it is handed out.
        if (moved) this.noteBehind(askedAt)
        continue
      }
      // Only an answer asked after the build ended shows the log to its end.
      if (askedIn.name === 'draining') {
        this.phase = { name: 'drained' }
        return
      }
      // The build ended while this was asked: the drain asks at once.
      const { phase } = this
      if (phase.name !== 'following') continue
      phase.behindSince = undefined
      const rested = await this.rest(
        this.wait.pollMs,
        AbortSignal.any([this.stopped, this.wake.signal])
      )
      if (!rested) return
    }
  }

  /** Pauses until `ms` pass or `signal` aborts; false when the reading is to end. */
  private async rest(ms: number, signal: AbortSignal): Promise<boolean> {
    await this.wait.clock.sleep(ms, signal).catch(() => undefined)
    return !this.stopped.aborted
  }

  /** One request, one attempt; undefined when it failed or was cut short. */
  private async read(until: number): Promise<LiveLogChunk | undefined> {
    try {
      return await readLiveLog(
        this.ctx.client,
        this.build,
        this.offset,
        // One attempt, within its own time limit: a retry would break the pacing. A failure
        // ends the following anyway.
        {
          ...callOptions(this.ctx, 'live log'),
          retry: { ...this.ctx.retry, maxAttempts: 1 },
          signal: AbortSignal.any([
            this.stopped,
            this.wait.clock.timeout(Math.min(FOLLOW_REQUEST_MS, until - this.wait.clock.now()))
          ])
        }
      )
    } catch (error) {
      // Cut short by a cancel, the wait's end or the drain's: no failure of the live log.
      if (!this.stopped.aborted && this.wait.clock.now() < until - END_MARGIN_MS) this.failed(error)
      return undefined
    }
  }

  /** Once the answers have handed out text and said `has_more` for a while: says so, once. */
  private noteBehind(askedAt: number): void {
    const { phase } = this
    if (phase.name !== 'following' || phase.saidBehind) return
    phase.behindSince ??= askedAt
    if (this.wait.clock.now() - phase.behindSince < FOLLOW_BEHIND_MS) return
    phase.saidBehind = true
    core.notice(
      `The build writes its log faster than the live log API hands it out, so the job log falls behind the build; the stage logs are fetched whole when the build ends.`,
      { title: 'Live log behind' }
    )
  }

  /** Takes one answer: new text only when the end offset moved forward; says whether it did. */
  private take(chunk: LiveLogChunk): boolean {
    if (Number.isNaN(chunk.endOffset) || chunk.endOffset < this.offset) {
      const what = Number.isNaN(chunk.endOffset)
        ? 'an end_offset that is not a number'
        : `an end_offset of ${chunk.endOffset}, before the ${this.offset} already read`
      this.warn(`the live log API answered ${what}`)
      return false
    }
    if (chunk.endOffset === this.offset) return false
    this.offset = chunk.endOffset
    const text = this.unfinished + chunk.log
    const end = text.lastIndexOf('\n')
    this.unfinished = text.slice(end + 1)
    if (end >= 0) this.printLines(text.slice(0, end))
    return true
  }

  private printLines(lines: string): void {
    const bytes = Buffer.byteLength(lines) + 1
    if (this.printedBytes + bytes > FOLLOW_CAP_BYTES) {
      core.notice(
        `The build's log passed ${FOLLOW_CAP_BYTES / (1024 * 1024)} MiB, so the job log shows no more of it; the whole of every stage's log is in the artifact.`,
        { title: 'Live log cut short' }
      )
      this.unfinished = ''
      this.phase = { name: 'stopped' }
      return
    }
    this.printedBytes += bytes
    printInert(lines)
  }

  /** Prints the unfinished line, if any: the following is over. */
  private finish(): void {
    if (this.unfinished !== '') printInert(this.unfinished)
    this.unfinished = ''
    this.phase = { name: 'stopped' }
  }

  private failed(error: unknown): void {
    const why = sanitizeForLog(errorMessage(error))
    if (!this.answered && notOffered(error)) {
      core.notice(
        `The live log of a build is not offered here (${why}); the wait goes on with status lines, and the stage logs are fetched when the build ends.`,
        { title: 'Live log not available' }
      )
      this.phase = { name: 'stopped' }
      return
    }
    this.warn(`following the build's log failed: ${why}`)
  }

  private warn(what: string): void {
    core.warning(
      `Stopped following the build's live log: ${what}. The wait goes on with status lines, and the stage logs are fetched when the build ends.`,
      { title: 'Live log stopped' }
    )
    this.finish()
  }
}
