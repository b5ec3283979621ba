import * as core from '@actions/core'
import { readBuildStatus } from '../codearts/record-status.js'
import type { BuildRecord } from '../codearts/build-record.js'
import { pollUntil } from '../codearts/poll.js'
import { isBuildEnded } from '../codearts/status.js'
import { errorMessage } from '../errors.js'
import type { WaitOutcome } from '../report/run-result.js'
import { sanitizeForLog } from '../server-text.js'
import { callOptions, waited, type RunContext, type Wait } from './context.js'
import type { LogFollower } from './follow-log.js'

/**
 * Waits for the build to end, asking its status every `poll-seconds` and logging each change
 * once; a follower, if given, prints the build's new output between the polls. When the build
 * has ended or the wait has run out, the canceller forgets the build first (there is nothing
 * left to stop), then the follower prints its last lines or stops. It never throws for the
 * build: a wait that runs out or a status that cannot be read is an outcome, reported after the
 * logs are fetched as they are.
 */
export async function waitForBuild(
  ctx: RunContext,
  recordId: string,
  wait: Wait,
  follower?: LogFollower
): Promise<WaitOutcome> {
  let last: string | undefined
  let record: BuildRecord | undefined
  const readStatus = async (): Promise<string> => {
    const answer = await readBuildStatus(ctx.client, recordId, callOptions(ctx, 'build status'))
    const { status } = answer
    if (status !== last) core.info(`Build status: ${status || '(none yet)'} after ${waited(wait)}`)
    last = status
    record = answer.record
    return status
  }
  follower?.start()
  try {
    const { value, done } = await pollUntil(readStatus, isBuildEnded, {
      ...wait,
      signal: ctx.cancellation.signal
    })
    // Ended, or left running once the wait ran out: either way nothing is stopped any more.
    ctx.cancellation.forgetBuild()
    if (!done) {
      await follower?.stop()
      return { status: value, end: 'timed-out', record }
    }
    return { status: value, end: 'ended', record, logCut: await follower?.drain() }
  } catch (error) {
    await follower?.stop()
    const problem = sanitizeForLog(errorMessage(error))
    core.info(`Could not read the status of record ${recordId}: ${problem}`)
    return { status: last ?? '', end: 'unreadable', problem, record }
  }
}
