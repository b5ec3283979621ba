import * as core from '@actions/core'
import { WHOLE_LOG } from '../codearts/client.js'
import { PROGRESS_EVERY_MS } from '../constants.js'
import { downloadStages, prepareLogDir } from '../download/downloader.js'
import { defaultArtifactName, defaultLogDir } from '../inputs.js'
import { GcPacer, exposeCollector } from '../memory/gc-pacer.js'
import { logStageGroups, progressLine } from '../report/job-log.js'
import { downloadOutputs, setOutputs } from '../report/outputs.js'
import type { StageReport } from '../report/stage-report.js'
import { RunCancelled } from './cancellation.js'
import { logRetry, retryPolicy, type RunContext } from './context.js'
import type { StagePlan } from './plan-stages.js'

/** The record this run reads, and where its logs and artifact go. */
export interface Target {
  recordId: string
  dir: string
  artifactName: string
}

/** Where the logs of a record go; the default folder is made empty first. */
export async function logTarget(ctx: RunContext, recordId: string): Promise<Target> {
  const { inputs, env } = ctx
  const target: Target = {
    recordId,
    dir: inputs.path ?? defaultLogDir(env, recordId),
    artifactName: inputs.artifactName ?? defaultArtifactName(recordId)
  }
  if (inputs.path === undefined) await prepareLogDir(target.dir)
  return target
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
  target: Target,
  plan: StagePlan
): Promise<DownloadedLogs> {
  const { inputs } = ctx
  const pacer = new GcPacer(exposeCollector())
  if (plan.taskNames.length === 0) {
    const note = `No build action of record ${target.recordId} failed, so no log was downloaded.`
    core.notice(note, { title: 'No failed build actions' })
    setOutputs(downloadOutputs(target.dir, []))
    return { results: [], pacer, note }
  }
  const taskNames = inputs.wholeLog ? [...plan.taskNames, WHOLE_LOG] : plan.taskNames
  core.info(
    `Fetching ${taskNames.join(', ')} of record ${target.recordId} from ${inputs.endpoint.origin}`
  )
  const downloaded = await downloadStages(
    ctx.client,
    {
      recordId: target.recordId,
      taskNames,
      logLevel: inputs.logLevel,
      compress: inputs.compress,
      dir: target.dir,
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
  setOutputs(downloadOutputs(target.dir, results))
  if (ctx.signal.aborted) {
    const kept = results.filter(r => r.status === 'downloaded').length
    throw new RunCancelled(
      `: ${kept} of ${results.length} logs were complete and stay in ${target.dir}; nothing was uploaded.`
    )
  }
  return { results, pacer }
}
