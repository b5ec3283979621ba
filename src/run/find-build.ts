import type { JobBuild } from '../codearts/job-build.js'
import { Outputs } from '../constants.js'
import { setOutputs } from '../report/outputs.js'
import type { BuildRef } from '../report/run-result.js'
import type { RunContext, Wait } from './context.js'
import { detachedRecordId, findRecord, lookUpRecordOnce } from './find-record.js'
import { describeStarted, startRequestedBuild } from './start-build.js'

/** The build a run reads, and what this step started, when it started it. */
export interface FoundBuild {
  build: BuildRef
  startedBuild?: string
}

/** What was started and not waited for: the build goes on alone. */
export interface Detached {
  startedBuild: string
  recordId: string
}

/**
 * The build to read: the record given, or that of a job's build, started here when asked (a
 * start not waited for is detached: it goes on alone).
 */
export async function findBuild(
  ctx: RunContext,
  wait: Wait | undefined
): Promise<FoundBuild | Detached> {
  const { record } = ctx.inputs
  const { cancellation } = ctx
  if ('recordId' in record) return { build: { recordId: record.recordId } }
  let jobBuild: JobBuild
  let startedBuild: string | undefined
  if ('start' in record) {
    const buildNumber = await cancellation.step(() => startRequestedBuild(ctx, record.start))
    jobBuild = { jobId: record.jobId, buildNumber }
    startedBuild = describeStarted(record.start, buildNumber)
    if (wait === undefined) {
      // Detached: the build is meant to go on alone, so a cancel from here on leaves it.
      cancellation.forgetBuild()
      // The step ends as cancelled before a failed lookup is reported, so a cancel raises no warning.
      const lookup = await cancellation.step(() => lookUpRecordOnce(ctx, jobBuild))
      return { startedBuild, recordId: detachedRecordId(lookup, jobBuild) }
    }
  } else {
    jobBuild = { jobId: record.jobId, buildNumber: record.buildNumber }
    setOutputs({ [Outputs.BuildNumber]: String(jobBuild.buildNumber) })
  }
  const found = await cancellation.step(() => findRecord(ctx, jobBuild, wait))
  return { build: { ...found, jobBuild }, startedBuild }
}
