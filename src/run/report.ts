import * as core from '@actions/core'
import { WHOLE_LOG } from '../codearts/client.js'
import { errorMessage } from '../errors.js'
import { annotateProblem, buildErrorAnnotations } from '../report/annotations.js'
import { buildVerdict } from '../report/build-verdict.js'
import type { StageReport } from '../report/stage-report.js'
import { renderStartSummary, renderSummary } from '../report/summary.js'
import type { BuildRef, RunContext } from './context.js'
import type { Target } from './download-logs.js'
import type { UploadOutcome } from './upload-logs.js'
import type { WaitOutcome } from './wait-for-build.js'

/** Everything a run found out, for the summary and the annotations. */
export interface RunResult {
  build: BuildRef
  target: Target
  /** How the wait ended; undefined when the step did not wait. */
  wait?: WaitOutcome
  results: readonly StageReport[]
  upload: UploadOutcome
  /** What this step started, when it started the build. */
  started?: string
}

async function writeSummary(ctx: RunContext, text: string): Promise<void> {
  if (!ctx.inputs.summary || !ctx.env.GITHUB_STEP_SUMMARY) return
  try {
    await core.summary.addRaw(text).write()
  } catch (error) {
    core.warning(`could not write the job summary: ${errorMessage(error)}`)
  }
}

/**
 * Writes the summary, then the annotations: how the build ended first (it is what the step
 * fails with), then the action's own failures, then build errors found in the logs; GitHub
 * shows at most 10 annotations of a kind per step.
 */
export async function report(ctx: RunContext, result: RunResult): Promise<void> {
  const { inputs } = ctx
  await writeSummary(
    ctx,
    renderSummary({
      recordId: result.target.recordId,
      buildStatus: result.wait?.status ?? '',
      region: inputs.region,
      logLevel: inputs.logLevel,
      results: result.results,
      artifactName: result.target.artifactName,
      artifact: result.upload.artifact,
      uploadNote: result.upload.note,
      started: result.started
    })
  )
  if (result.wait) reportVerdict(ctx, result.build, result.wait)
  for (const r of result.results) {
    if (r.status === 'failed') {
      const what = r.stage === WHOLE_LOG ? 'the whole-build log' : r.stage
      annotateProblem(r.error, r.title ?? `Could not download ${what}`, inputs.failOnError)
    }
  }
  for (const { title, message } of buildErrorAnnotations(
    result.results,
    inputs.buildErrorAnnotations
  )) {
    core.warning(message, { title })
  }
}

/** Raises the annotation of how a waited-for build ended, if it needs one. */
export function reportVerdict(ctx: RunContext, build: BuildRef, wait: WaitOutcome): void {
  const { waitMinutes, failOnBuildFailure } = ctx.inputs
  const verdict = buildVerdict(build, wait, waitMinutes, failOnBuildFailure)
  if (verdict) annotateProblem(verdict.message, verdict.title, verdict.level === 'error')
}

/** Reports a build started and not waited for: the summary says what was started. */
export async function reportDetached(
  ctx: RunContext,
  started: string,
  recordId: string
): Promise<void> {
  core.info(`${started}; not waiting for it (wait-minutes: 0)`)
  await writeSummary(ctx, renderStartSummary(started, recordId))
}
