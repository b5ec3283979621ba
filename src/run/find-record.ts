import * as core from '@actions/core'
import { CodeArtsApiError } from '../codearts/api-error.js'
import type { JobBuild } from '../codearts/job-build.js'
import { resolveRecordId, type FoundRecord } from '../codearts/record-info.js'
import { pollUntil } from '../codearts/poll.js'
import { StepError, errorMessage } from '../errors.js'
import { callOptions, type RunContext, type Wait } from './context.js'

function isNotFound(error: unknown): boolean {
  return error instanceof CodeArtsApiError && error.details.status === 404
}

/**
 * The record of a job's build. While waiting, a 404 is a build just started and not registered
 * yet: it is asked again until the wait ends. Without a wait it is asked once.
 */
export async function findRecord(
  ctx: RunContext,
  build: JobBuild,
  wait?: Wait
): Promise<FoundRecord> {
  const { jobId, buildNumber } = build
  const lookup = (): Promise<FoundRecord> =>
    resolveRecordId(ctx.client, build, callOptions(ctx, 'record lookup'))
  let reported = false
  const notYet = (error: unknown): { error: unknown } => {
    if (wait === undefined || !isNotFound(error)) throw error
    if (!reported) {
      core.info(
        `Build ${buildNumber} of job ${jobId} is not registered yet (404); asking again every ${wait.pollMs / 1000} s`
      )
      reported = true
    }
    return { error }
  }
  try {
    // Without a wait the deadline has passed, so the lookup is made once.
    const found = await pollUntil(
      () => lookup().then(found => ({ found }), notYet),
      outcome => 'found' in outcome,
      {
        pollMs: wait?.pollMs ?? 1,
        deadline: wait?.deadline ?? 0,
        signal: ctx.cancellation.signal,
        clock: wait?.clock
      }
    )
    if ('error' in found.value) throw found.value.error
    const { recordId } = found.value.found
    core.info(`Build ${buildNumber} of job ${jobId} is record ${recordId}`)
    return found.value.found
  } catch (error) {
    throw new StepError({
      title: `Could not find build ${buildNumber} of job ${jobId}`,
      context: `failed to find the record of build ${buildNumber} of job ${jobId}`,
      cause: error,
      advice:
        'Check job-id (the end of the build task URL in the console) and build-number, or give record-id instead.'
    })
  }
}

/** What one lookup of a build just started found: its record, or why there is none. */
export type RecordLookup = { recordId: string } | { problem: unknown }

/**
 * One lookup of the record of a build just started and not waited for. A failure is returned,
 * not reported: the caller reports it once the canceller has seen that no cancel cut it short.
 */
export async function lookUpRecordOnce(ctx: RunContext, build: JobBuild): Promise<RecordLookup> {
  return findRecord(ctx, build).then(
    ({ recordId }) => ({ recordId }),
    (problem: unknown) => ({ problem })
  )
}

/**
 * The record-id of a detached start: '' when the build is not registered yet or the lookup
 * failed, said in the job log; the build did start, so that is no failure of the step.
 */
export function detachedRecordId(lookup: RecordLookup, build: JobBuild): string {
  if ('recordId' in lookup) return lookup.recordId
  const { problem } = lookup
  const { jobId, buildNumber } = build
  if (isNotFound(problem instanceof StepError ? problem.cause : problem)) {
    core.info(`Build ${buildNumber} of job ${jobId} is not registered yet, so record-id is empty`)
  } else {
    core.warning(
      `${errorMessage(problem)} The build was started all the same; record-id is empty.`,
      {
        title: 'Could not find the record'
      }
    )
  }
  return ''
}
