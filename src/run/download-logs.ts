import * as core from '@actions/core'
import { WHOLE_LOG } from '../codearts/log-api.js'
import { PROGRESS_EVERY_MS } from '../constants.js'
import type { BuildStage } from '../codearts/stage-list.js'
import { downloadStages, prepareLogDir, type StageResult } from '../download/downloader.js'
import { mapWithConcurrency } from '../download/pool.js'
import { logDestination } from '../inputs/action-inputs.js'
import { GcPacer, exposeCollector } from '../memory/gc-pacer.js'
import { logStageGroups, progressLine } from '../report/job-log.js'
import { downloadOutputs, setOutputs } from '../report/outputs.js'
import { jobBuildOf, type BuildRef, type LogDestination } from '../report/run-result.js'
import type { StageReport } from '../report/stage-report.js'
import { sectionReads, type SectionData, type SectionReads } from '../report/summary.js'
import { sanitizeForLog } from '../server-text.js'
import { RunCancelled } from './cancellation.js'
import { logRetry, retryPolicy, type RunContext } from './context.js'
import type { StagePlan } from './plan-stages.js'

/** Where the logs of a record go; the default folder is made first (a given one was checked early). */
export async function prepareDestination(
  ctx: RunContext,
  recordId: string
): Promise<LogDestination> {
  const destination = logDestination(ctx.inputs, ctx.env, recordId)
  if (ctx.inputs.path === undefined) await prepareLogDir(destination.dir)
  return destination
}

/** The logs of a run: one report per stage, and the pacer that kept memory low while receiving. */
export interface DownloadedLogs {
  results: StageReport[]
  pacer: GcPacer
  /** Why nothing was fetched, when the plan held no stage. */
  note?: string
  /** Every action of the stage list in run order; empty when the list could not be read. */
  stages: BuildStage[]
  /** What the summary's sections read beside the downloads. */
  sections: SectionData
}

/**
 * The summary's own requests, when a summary is asked for: their retries go to the debug log
 * only, as their failures do.
 */
function summaryReads(ctx: RunContext, build: BuildRef): SectionReads {
  if (!ctx.inputs.summary) return { jobs: [], data: new Map() }
  return sectionReads({
    client: ctx.client,
    build,
    jobBuild: jobBuildOf(build),
    options: {
      retry: retryPolicy(ctx.inputs),
      signal: ctx.signal,
      onRetry: n => core.debug(`summary: retrying a request: ${sanitizeForLog(n.reason)}`)
    }
  })
}

/** Says in the debug log how the pacer kept memory low while receiving. */
function logPacing(pacer: GcPacer): void {
  core.debug(
    pacer.active
      ? `Asked V8 for ${pacer.asked.minor} young-generation and ${pacer.asked.major} full collections while receiving the logs`
      : 'V8 refused --expose-gc, so collections were left to V8 (a large log takes more memory)'
  )
}

/** A stage's download with what the stage list says of its action. */
function withListed(result: StageResult, stage: BuildStage | undefined): StageReport {
  return {
    ...result,
    displayName: stage?.displayName,
    buildStatus: stage?.status,
    ranMs: stage?.durationMs
  }
}

/**
 * Fetches every planned stage (and the whole log when asked) after the summary's own requests,
 * in one pool of connections; adds what the list says of each, logs them and sets the download
 * outputs. A cancel ends it with RunCancelled, saying what was kept.
 */
export async function downloadLogs(
  ctx: RunContext,
  destination: LogDestination,
  plan: StagePlan,
  build: BuildRef
): Promise<DownloadedLogs> {
  const { inputs } = ctx
  const pacer = new GcPacer(exposeCollector())
  const reads = summaryReads(ctx, build)
  if (plan.taskNames.length === 0) {
    await mapWithConcurrency(reads.jobs, inputs.concurrency, job => job())
    const note = `No build action of record ${destination.recordId} failed, so no log was downloaded.`
    core.notice(note, { title: 'No failed build actions' })
    setOutputs(downloadOutputs(destination.dir, []))
    const stages = [...(await plan.listed).values()]
    return { results: [], pacer, note, stages, sections: reads.data }
  }
  const taskNames = inputs.wholeLog ? [...plan.taskNames, WHOLE_LOG] : plan.taskNames
  core.info(
    `Fetching ${taskNames.join(', ')} of record ${destination.recordId} from ${inputs.endpoint.origin}`
  )
  const downloaded = await downloadStages(
    ctx.client,
    {
      recordId: destination.recordId,
      taskNames,
      logLevel: inputs.logLevel,
      compress: inputs.compress,
      dir: destination.dir,
      concurrency: inputs.concurrency
    },
    {
      retry: retryPolicy(inputs),
      idleTimeoutMs: inputs.timeoutMs,
      signal: ctx.signal,
      progressEveryMs: PROGRESS_EVERY_MS,
      onProgress: (stage, bytes, elapsedMs) => core.info(progressLine(stage, bytes, elapsedMs)),
      onBytes: bytes => pacer.received(bytes),
      onRetry: logRetry,
      first: reads.jobs
    }
  )
  logPacing(pacer)
  const listed = await plan.listed
  const results = downloaded.map(result => withListed(result, listed.get(result.stage)))
  logStageGroups(results)
  setOutputs(downloadOutputs(destination.dir, results))
  if (ctx.signal.aborted) {
    const kept = results.filter(r => r.status === 'downloaded').length
    throw new RunCancelled({
      logs: 'downloading',
      complete: kept,
      total: results.length,
      dir: destination.dir
    })
  }
  return { results, pacer, stages: [...listed.values()], sections: reads.data }
}
