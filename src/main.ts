import * as core from '@actions/core'
import { CodeArtsClient } from './codearts/client.js'
import { Outputs, SECRET_ENV_VARS, SECRET_INPUTS } from './constants.js'
import { prepareLogDir } from './download/downloader.js'
import { errorMessage, errorTitle } from './errors.js'
import { readEnv, readInput, type Env } from './input-reader.js'
import { getInputs, type ActionInputs } from './inputs.js'
import { annotateProblem } from './report/annotations.js'
import { setOutputs } from './report/outputs.js'
import { signIn } from './signin/sign-in.js'
import { Cancellation, RunCancelled } from './run/cancellation.js'
import {
  logRetry,
  retryPolicy,
  waitFrom,
  type BuildRef,
  type RunContext,
  type Wait
} from './run/context.js'
import { downloadLogs, logTarget } from './run/download-logs.js'
import { findRecord, findRecordOnce } from './run/find-record.js'
import { LogFollower, noticeLogCut } from './run/follow-log.js'
import { planStages } from './run/plan-stages.js'
import { report, reportDetached, reportVerdict } from './run/report.js'
import { describeStarted, startRequestedBuild } from './run/start-build.js'
import { uploadLogs } from './run/upload-logs.js'
import { waitForBuild, type WaitOutcome } from './run/wait-for-build.js'

/** Masks every credential, given or inherited, before anything can be logged. */
function maskSecrets(env: Env): void {
  const values = [
    ...SECRET_INPUTS.map(name => readInput(env, name)),
    ...SECRET_ENV_VARS.map(name => readEnv(env, name))
  ]
  for (const value of values) if (value) core.setSecret(value)
}

/** Masks the values of the build parameters: they are often secrets, and only names are shown. */
function maskParameterValues(inputs: ActionInputs): void {
  if (!('start' in inputs.record)) return
  for (const { value } of inputs.record.start.parameters) if (value) core.setSecret(value)
}

/** The follower of the build's live log while waiting, when asked for and the build is known by job and number. */
function follower(ctx: RunContext, build: BuildRef, wait: Wait): LogFollower | undefined {
  if (!ctx.inputs.followLog) return undefined
  if (build.jobId === undefined || build.buildNumber === undefined) {
    core.debug(
      'follow-log: with record-id alone there is no job ID and build number to ask the live log with; waiting with status lines'
    )
    return undefined
  }
  const target = { jobId: build.jobId, buildNumber: build.buildNumber }
  return new LogFollower(ctx, target, wait)
}

/** How far a run got: the build and how its wait ended, and whether the report was made. */
interface Progress {
  build?: BuildRef
  wait?: WaitOutcome
  reported: boolean
}

/**
 * The run's steps, in order: start (when asked), find the record, wait, plan the stages,
 * download, upload, report.
 */
async function runSteps(
  ctx: RunContext,
  cancellation: Cancellation,
  progress: Progress
): Promise<void> {
  const { record } = ctx.inputs
  const wait = waitFrom(ctx.inputs)
  let build: BuildRef
  let started: string | undefined
  if ('recordId' in record) {
    build = { recordId: record.recordId }
  } else {
    let buildNumber: number
    if ('start' in record) {
      buildNumber = await startRequestedBuild(ctx, record.start, cancellation)
      started = describeStarted(record.start, buildNumber)
      if (wait === undefined) {
        // Detached: the build is meant to go on alone, so a cancel from here on leaves it.
        cancellation.ended()
        const recordId = await findRecordOnce(ctx, record.jobId, buildNumber)
        setOutputs({ [Outputs.RecordId]: recordId })
        return reportDetached(ctx, started, recordId)
      }
    } else {
      buildNumber = record.buildNumber
      setOutputs({ [Outputs.BuildNumber]: String(buildNumber) })
    }
    const recordId = await findRecord(ctx, record.jobId, buildNumber, wait)
    build = { recordId, jobId: record.jobId, buildNumber }
  }
  setOutputs({ [Outputs.RecordId]: build.recordId })

  progress.build = build
  const waitOutcome =
    wait &&
    (await waitForBuild(ctx, build.recordId, wait, follower(ctx, build, wait), () =>
      cancellation.ended()
    ))
  progress.wait = waitOutcome
  setOutputs({ [Outputs.BuildStatus]: waitOutcome?.status ?? '' })

  const target = await logTarget(ctx, build.recordId)
  const plan = await planStages(ctx, build.recordId)
  if (waitOutcome?.logCut) noticeLogCut(ctx, waitOutcome.logCut, target, plan)
  const logs = await downloadLogs(ctx, target, plan)
  const upload = await uploadLogs(ctx, target, logs)
  progress.reported = true
  await report(ctx, { build, target, wait: waitOutcome, results: logs.results, upload, started })
  // A cancel during the last steps still ends the step as cancelled, saying what became of the build.
  if (ctx.signal.aborted) throw new RunCancelled(' after its logs were fetched.')
}

/** The action: validate inputs, sign in, then run the steps; the one place a failure is annotated. */
export async function run(env: Env = process.env): Promise<void> {
  let client: CodeArtsClient | undefined
  let cancellation: Cancellation | undefined
  let ctx: RunContext | undefined
  const progress: Progress = { reported: false }
  try {
    maskSecrets(env)
    const inputs = getInputs(env)
    maskParameterValues(inputs)
    // A path that was given is checked before any request; the default one needs the record.
    if (inputs.path !== undefined) await prepareLogDir(inputs.path)

    const authenticator = await signIn(inputs.auth, {
      timeoutMs: inputs.timeoutMs,
      retry: retryPolicy(inputs),
      onRetry: n => logRetry('sign-in', n)
    })
    core.info(`Authenticating with ${authenticator.description}`)
    client = new CodeArtsClient({
      endpoint: inputs.endpoint,
      authenticator,
      timeoutMs: inputs.timeoutMs
    })
    cancellation = new Cancellation({
      client,
      stopOnCancel: inputs.stopOnCancel,
      retry: retryPolicy(inputs)
    })
    ctx = { inputs, client, signal: cancellation.signal, env }
    await runSteps(ctx, cancellation, progress)
  } catch (error) {
    if (cancellation?.signal.aborted) {
      const detail =
        error instanceof RunCancelled
          ? error.detail
          : ' before any log was downloaded; nothing was uploaded.'
      const stop = await cancellation.outcome()
      annotateProblem(`The step was cancelled${detail}${stop ? ` ${stop}` : ''}`, 'Cancelled', true)
    } else {
      annotateProblem(errorMessage(error), errorTitle(error), true)
      // A step that failed after the wait still says how the build ended.
      if (ctx && progress.build && progress.wait && !progress.reported) {
        reportVerdict(ctx, progress.build, progress.wait)
      }
    }
  } finally {
    // A stop still in flight (a cancel during the last steps) needs the client until it settles.
    if (cancellation?.signal.aborted) await cancellation.outcome()
    cancellation?.close()
    client?.dispose()
  }
}
