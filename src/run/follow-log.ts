import * as core from '@actions/core'
import { CodeArtsApiError } from '../codearts/api-error.js'
import { readLiveLog, type JobBuild, type LiveLogChunk } from '../codearts/build-api.js'
import {
  FOLLOW_BURST_REQUESTS,
  FOLLOW_CAP_BYTES,
  FOLLOW_DRAIN_MS,
  FOLLOW_DRAIN_REQUESTS,
  FOLLOW_PAUSE_MS,
  FOLLOW_REQUEST_MS
} from '../constants.js'
import { errorMessage } from '../errors.js'
import { sleep } from '../http/retry.js'
import { printInert } from '../report/job-log.js'
import { sanitizeForLog } from '../server-text.js'
import { callOptions, retryPolicy, type RunContext } from './context.js'

/** Answers at the first request that mean the live log API is not offered here. */
const NOT_OFFERED = new Set([400, 404, 501])

function notOffered(error: unknown): boolean {
  return (
    error instanceof CodeArtsApiError &&
    (NOT_OFFERED.has(error.details.status) || error.details.envelope === true)
  )
}

/**
 * Follows a running build's live log into the job log: each piece once, in order, whole lines
 * only (an unfinished line waits for its end or the build's), as text that can raise no
 * workflow command. It never fails the step: a failure stops the following with one notice or
 * warning, and the wait goes on with status lines.
 */
export class LogFollower {
  private offset = 0
  private unfinished = ''
  private printedBytes = 0
  private answers = 0
  private following = true
  private lastAsked = -Infinity

  /** `deadline` (epoch ms) ends the following while the build runs: the wait's own end. */
  constructor(
    private readonly ctx: RunContext,
    private readonly build: JobBuild,
    private readonly deadline: number
  ) {}

  /** Asks for what is new, again after a short pause while more is ready, a bounded number of times. */
  async burst(): Promise<void> {
    await this.ask(FOLLOW_BURST_REQUESTS, this.deadline)
  }

  /** Once the build has ended: asks until nothing more is ready, then prints the last, unfinished line. */
  async drain(): Promise<void> {
    await this.ask(FOLLOW_DRAIN_REQUESTS, Date.now() + FOLLOW_DRAIN_MS)
    this.finish()
  }

  /** Prints the unfinished line, if any: the following is over. */
  finish(): void {
    if (this.unfinished !== '') printInert(this.unfinished)
    this.unfinished = ''
    this.following = false
  }

  /** Asks at most `maxRequests` times, none after `until` (epoch ms). */
  private async ask(maxRequests: number, until: number): Promise<void> {
    for (let n = 0; n < maxRequests && this.following; n++) {
      const wait = this.lastAsked + FOLLOW_PAUSE_MS - Date.now()
      if (wait > 0) await sleep(wait, this.ctx.signal)
      const left = until - Date.now()
      if (left <= 0) return
      this.lastAsked = Date.now()
      let chunk: LiveLogChunk
      try {
        chunk = await readLiveLog(
          this.ctx.client,
          this.build.jobId,
          this.build.buildNumber,
          this.offset,
          // One attempt, within its own time limit: a retry would break the pacing, and a hung
          // live log must not hold up the status polls. A failure ends the following anyway.
          {
            ...callOptions(this.ctx, 'live log'),
            retry: { ...retryPolicy(this.ctx.inputs), maxAttempts: 1 },
            signal: AbortSignal.any([
              this.ctx.signal,
              AbortSignal.timeout(Math.min(FOLLOW_REQUEST_MS, left))
            ])
          }
        )
      } catch (error) {
        this.ctx.signal.throwIfAborted()
        this.stop(error)
        return
      }
      this.answers++
      this.take(chunk)
      if (!chunk.hasMore) return
    }
  }

  /** Takes one answer: new text only when the end offset moved forward. */
  private take(chunk: LiveLogChunk): void {
    if (Number.isNaN(chunk.endOffset) || chunk.endOffset < this.offset) {
      const what = Number.isNaN(chunk.endOffset)
        ? 'an end_offset that is not a number'
        : `an end_offset of ${chunk.endOffset}, before the ${this.offset} already read`
      this.warn(`the live log API answered ${what}`)
      return
    }
    if (chunk.endOffset === this.offset) return
    this.offset = chunk.endOffset
    const text = this.unfinished + chunk.log
    const end = text.lastIndexOf('\n')
    this.unfinished = text.slice(end + 1)
    if (end >= 0) this.printLines(text.slice(0, end))
  }

  private printLines(lines: string): void {
    const bytes = Buffer.byteLength(lines) + 1
    if (this.printedBytes + bytes > FOLLOW_CAP_BYTES) {
      core.notice(
        `The build's log passed ${FOLLOW_CAP_BYTES / (1024 * 1024)} MiB, so the job log shows no more of it; the whole of every stage's log is in the artifact.`,
        { title: 'Live log cut short' }
      )
      this.unfinished = ''
      this.following = false
      return
    }
    this.printedBytes += bytes
    printInert(lines)
  }

  private stop(error: unknown): void {
    const why = sanitizeForLog(errorMessage(error))
    if (this.answers === 0 && notOffered(error)) {
      core.notice(
        `The live log of a build is not offered here (${why}); the wait goes on with status lines, and the stage logs are fetched when the build ends.`,
        { title: 'Live log not available' }
      )
      this.following = false
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
