import * as core from '@actions/core'
import { WHOLE_LOG } from '../codearts/log-api.js'
import { PROGRESS_EVERY_MS } from '../constants.js'
import { downloadStages, prepareLogDir } from '../download/downloader.js'
import { logDestination } from '../inputs.js'
import { GcPacer, exposeCollector } from '../memory/gc-pacer.js'
import { logStageGroups, progressLine } from '../report/job-log.js'
import { downloadOutputs, setOutputs } from '../report/outputs.js'
import type { LogDestination } from '../report/run-result.js'
import type { StageReport } from '../report/stage-report.js'
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
}

/**
 * Fetches every planned stage (and the whole log when asked), adds what the list says of each,
 * logs them and sets the download outputs. A cancel ends it with RunCancelled, saying what was
 * kept.
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
    return { results: [], pacer, note }
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
      onRetry: logRetry
    }
  )
  core.debug(
    pacer.active
      ? `Asked V8 for ${pacer.asked.minor} young-generation and ${pacer.asked.major} full collections while receiving the logs`
      : 'V8 refused --expose-gc, so collections were left to V8 (a large log takes more memory)'
  )
  const listed = await plan.listed
  const results = downloaded.map(result => {
    const stage = listed.get(result.stage)
    return { ...result, displayName: stage?.displayName, buildStatus: stage?.status }
  })
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
  return { results, pacer }
}
