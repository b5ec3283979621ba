import * as core from '@actions/core'
import { WHOLE_LOG } from '../codearts/log-api.js'
import { PROGRESS_EVERY_MS } from '../constants.js'
import type { BuildStage } from '../codearts/stage-list.js'
import { downloadStages, prepareLogDir, type StageResult } from '../download/downloader.js'
import { logDestination } from '../inputs/action-inputs.js'
import { GcPacer, exposeCollector } from '../memory/gc-pacer.js'
import { logStageGroups, progressLine } from '../report/job-log.js'
import { downloadOutputs, setOutputs } from '../report/outputs.js'
import type { LogDestination } from '../report/run-result.js'
import type { StageReport } from '../report/stage-report.js'
import { RunCancelled } from './cancellation.js'
import { logRetry, type RunContext } from './context.js'
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
 * Fetches every planned stage (and the whole log when asked), each in a slot of the run's
 * limiter; adds what the list says of each, logs them and sets the download outputs. A cancel
 * ends it with RunCancelled, saying what was kept.
 */
export async function downloadLogs(
  ctx: RunContext,
  destination: LogDestination,
  plan: StagePlan
): Promise<DownloadedLogs> {
  const { inputs } = ctx
  const pacer = new GcPacer(exposeCollector())
  if (plan.taskNames.length === 0) {
    const note = `No build action of record ${destination.recordId} failed, so no log was downloaded.`
    core.notice(note, { title: 'No failed build actions' })
    setOutputs(downloadOutputs(destination.dir, []))
    const stages = [...(await plan.listed).values()]
    return { results: [], pacer, note, stages }
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
      dir: destination.dir
    },
    {
      retry: ctx.retry,
      idleTimeoutMs: inputs.timeoutMs,
      signal: ctx.cancellation.signal,
      progressEveryMs: PROGRESS_EVERY_MS,
      onProgress: (stage, bytes, elapsedMs) => core.info(progressLine(stage, bytes, elapsedMs)),
      onBytes: bytes => pacer.received(bytes),
      onRetryOf: logRetry,
      limiter: ctx.limiter
    }
  )
  logPacing(pacer)
  const listed = await plan.listed
  const results = downloaded.map(result => withListed(result, listed.get(result.stage)))
  logStageGroups(results)
  setOutputs(downloadOutputs(destination.dir, results))
  if (ctx.cancellation.signal.aborted) {
    const kept = results.filter(r => r.status === 'downloaded').length
    throw new RunCancelled({
      logs: 'downloading',
      complete: kept,
      total: results.length,
      dir: destination.dir
    })
  }
  return { results, pacer, stages: [...listed.values()] }
}
