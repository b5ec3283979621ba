import * as core from '@actions/core'
import { readBuildStatus } from '../codearts/build-api.js'
import { isBuildEnded, pollUntil } from '../codearts/build-wait.js'
import { errorMessage, sanitizeForLog } from '../errors.js'
import { apiCall, waited, type RunContext, type Wait } from './context.js'
import type { LogCut, LogFollower } from './follow-log.js'

/** How a wait ended: the build ended, the wait ran out, or the status could not be read. */
export type WaitEnd = 'ended' | 'timed-out' | 'unreadable'

/** What the wait saw last. */
export interface WaitOutcome {
  /** The last status seen, a lower-case word; '' when none was. */
  status: string
  end: WaitEnd
  /** Why the status could not be read, for `unreadable`. */
  problem?: string
  /** How much of the live log the job log shows, when the drain could not show it to its end. */
  logCut?: LogCut
}

/**
 * Waits for the build to end, asking its status every `poll-seconds` and logging each change
 * once, while a follower, if any, prints the build's new output beside the polls; once the
 * build has ended, the follower prints its last lines before this returns; `onEnded` is called
 * as soon as the build has ended or the wait has run out, before that. It never throws for the
 * build: a wait that runs out or a status that cannot be read is an outcome, reported after the
 * logs are fetched as they are.
 */
export async function waitForBuild(
  ctx: RunContext,
  recordId: string,
  wait: Wait,
  follower?: LogFollower,
  onEnded: () => void = () => undefined
): Promise<WaitOutcome> {
  let last: string | undefined
  const read = async (): Promise<string> => {
    const status = await readBuildStatus(ctx.client, recordId, apiCall(ctx, 'build status'))
    if (status !== last) core.info(`Build status: ${status || '(none yet)'} after ${waited(wait)}`)
    last = status
    return status
  }
  follower?.start()
  try {
    const { value, done } = await pollUntil(read, isBuildEnded, { ...wait, signal: ctx.signal })
    // Ended, or left running once the wait ran out: either way nothing is stopped any more.
    onEnded()
    if (!done) {
      await follower?.stop()
      return { status: value, end: 'timed-out' }
    }
    return { status: value, end: 'ended', logCut: await follower?.drain() }
  } catch (error) {
    // A cancel ends the follower's requests too.
    ctx.signal.throwIfAborted()
    await follower?.stop()
    const problem = sanitizeForLog(errorMessage(error))
    core.info(`Could not read the status of record ${recordId}: ${problem}`)
    return { status: last ?? '', end: 'unreadable', problem }
  }
}
