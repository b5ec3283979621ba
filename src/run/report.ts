import * as core from '@actions/core'
import { promises as fs } from 'node:fs'
import { WHOLE_LOG } from '../codearts/log-api.js'
import { errorMessage } from '../errors.js'
import { readEnv } from '../input-reader.js'
import { annotateProblem, logAnnotations, type AnnotationLevel } from '../report/annotations.js'
import { buildVerdict } from '../report/build-verdict.js'
import { failureLists, type FailureLists } from '../report/failures.js'
import type { BuildRef, RunResult, WaitOutcome } from '../report/run-result.js'
import type { SummaryData } from '../report/sections.js'
import { laterRecord } from '../codearts/build-record.js'
import { failureOutputs, setOutputs } from '../report/outputs.js'
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
function summaryOf(ctx: RunContext, result: RunResult, failures: FailureLists): SummaryData {
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
    stages: result.stages,
    failures,
    github: {
      serverUrl: readEnv(ctx.env, 'GITHUB_SERVER_URL'),
      repository: readEnv(ctx.env, 'GITHUB_REPOSITORY')
    }
  }
}

/**
 * Sets the sections' and the failures' outputs and writes the summary, then the annotations.
 * Errors first: how the build ended (it is what the step fails with), the action's own
 * failures, then the compile errors and failing tests of the logs (errors that do not fail the
 * step). Then warnings: the sections' (failed tests), then build errors found in the logs.
 * GitHub shows at most 10 annotations of each level per step: the logs' annotations take what
 * is left.
 */
export async function publishResult(
  ctx: RunContext,
  result: RunResult,
  sectionAnswers: SectionData
): Promise<void> {
  const { inputs } = ctx
  const failures = failureLists(result.failures, result.results)
  const summary = summaryOf(ctx, result, failures)
  setOutputs({ ...sectionOutputs(sectionAnswers), ...failureOutputs(failures) })
  await writeSummary(ctx, () => renderSummary(summary, sectionAnswers))
  const raised: Record<AnnotationLevel, number> = { error: 0, warning: 0 }
  if (result.wait) {
    const level = reportVerdict(ctx, result.build, result.wait)
    if (level) raised[level]++
  }
  for (const r of result.results) {
    if (r.status === 'failed') {
      const what = r.stage === WHOLE_LOG ? 'the whole-build log' : r.stage
      const title = r.title ?? `Could not download ${what}`
      raised[annotateProblem(r.error, title, inputs.failOnError)]++
    }
  }
  const warnings = sectionWarnings(summary, sectionAnswers)
  raised.warning += warnings.length
  const fromLogs = logAnnotations(result.results, failures, inputs.buildErrorAnnotations, raised)
  for (const { message, properties } of fromLogs.errors) core.error(message, properties)
  for (const { title, message } of warnings) core.warning(message, { title })
  for (const { title, message } of fromLogs.warnings) core.warning(message, { title })
}

/** Raises the annotation of how a waited-for build ended, if it needs one; returns its level. */
export function reportVerdict(
  ctx: RunContext,
  build: BuildRef,
  wait: WaitOutcome
): AnnotationLevel | undefined {
  const { waitMinutes, failOnBuildFailure } = ctx.inputs
  const verdict = buildVerdict(build, wait, waitMinutes, failOnBuildFailure)
  return verdict && annotateProblem(verdict.message, verdict.title, verdict.level === 'error')
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
