import * as core from '@actions/core'
import { promises as fs } from 'node:fs'
import { WHOLE_LOG } from '../codearts/log-api.js'
import { SHOWN_WARNINGS } from '../constants.js'
import { errorMessage } from '../errors.js'
import { readEnv } from '../input-reader.js'
import { annotateProblem, buildErrorAnnotations } from '../report/annotations.js'
import { buildVerdict } from '../report/build-verdict.js'
import type { BuildRef, RunResult, WaitOutcome } from '../report/run-result.js'
import type { SummaryData } from '../report/sections.js'
import { laterRecord } from '../codearts/build-record.js'
import { setOutputs } from '../report/outputs.js'
import {
  renderStartSummary,
  renderSummary,
  sectionOutputs,
  sectionWarnings,
  type SectionData
} from '../report/summary.js'
import type { RunContext } from './context.js'

/**
 * Appends to the job summary file the runner names in the environment the run was given (not
 * `process.env`), as @actions/core's summary does. The text is only made when a summary is
 * wanted.
 */
async function writeSummary(ctx: RunContext, text: () => string): Promise<void> {
  const file = readEnv(ctx.env, 'GITHUB_STEP_SUMMARY')
  if (!ctx.inputs.summary || file === '') return
  try {
    await fs.appendFile(file, text(), { encoding: 'utf8' })
  } catch (error) {
    core.warning(`could not write the job summary: ${errorMessage(error)}`)
  }
}

/** What the summary shows of a run's result. */
function summaryOf(ctx: RunContext, result: RunResult): SummaryData {
  return {
    recordId: result.destination.recordId,
    buildStatus: result.wait?.status ?? '',
    region: ctx.inputs.region,
    logLevel: ctx.inputs.logLevel,
    results: result.results,
    artifactName: result.destination.artifactName,
    artifact: result.upload.artifact,
    uploadNote: result.upload.note,
    startedBuild: result.startedBuild,
    buildNumber: result.build.jobBuild?.buildNumber,
    record: laterRecord(result.build.record, result.wait?.record),
    stages: result.stages
  }
}

/**
 * Sets the sections' outputs and writes the summary, then the annotations: how the build ended
 * first (it is what the step fails with), then the action's own failures, then the sections'
 * warnings (failed tests), then build errors found in the logs; GitHub shows at most 10
 * annotations of a kind per step.
 */
export async function publishResult(
  ctx: RunContext,
  result: RunResult,
  sections: SectionData
): Promise<void> {
  const { inputs } = ctx
  const data = summaryOf(ctx, result)
  setOutputs(sectionOutputs(sections))
  await writeSummary(ctx, () => renderSummary(data, sections))
  if (result.wait) reportVerdict(ctx, result.build, result.wait)
  for (const r of result.results) {
    if (r.status === 'failed') {
      const what = r.stage === WHOLE_LOG ? 'the whole-build log' : r.stage
      annotateProblem(r.error, r.title ?? `Could not download ${what}`, inputs.failOnError)
    }
  }
  const warnings = sectionWarnings(data, sections)
  for (const { title, message } of warnings) core.warning(message, { title })
  // GitHub shows at most ten warnings of a step: the sections' own come first and keep theirs.
  const buildErrors = Math.min(inputs.buildErrorAnnotations, SHOWN_WARNINGS - warnings.length)
  for (const { title, message } of buildErrorAnnotations(result.results, buildErrors)) {
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
  startedBuild: string,
  recordId: string
): Promise<void> {
  core.info(`${startedBuild}; not waiting for it (wait-minutes: 0)`)
  await writeSummary(ctx, () => renderStartSummary(startedBuild, recordId))
}
