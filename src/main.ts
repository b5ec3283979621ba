import * as core from '@actions/core'
import { CodeArtsClient } from './codearts/client.js'
import {
  CANCEL_GRACE_MS,
  EXIT_FAILURE,
  Outputs,
  SECRET_ENV_VARS,
  SECRET_INPUTS
} from './constants.js'
import { prepareLogDir } from './download/downloader.js'
import { errorMessage, errorTitle } from './errors.js'
import type { RetryPolicy } from './http/retry.js'
import { Limiter } from './http/limiter.js'
import { readEnv, readInput, type Env } from './input-reader.js'
import { getInputs, type ActionInputs } from './inputs/action-inputs.js'
import { annotateProblem } from './report/annotations.js'
import { noticeLogCut } from './report/job-log.js'
import { failureOutputs, setOutputs } from './report/outputs.js'
import type { BuildRef, WaitOutcome } from './report/run-result.js'
import { sectionOutputs } from './report/summary.js'
import { signIn } from './signin/sign-in.js'
import { Cancellation, RunCancelled, cancelledSentence } from './run/cancellation.js'
import { logRetry, retryPolicy, waitFrom, type RunContext, type Wait } from './run/context.js'
import { downloadLogs, prepareDestination } from './run/download-logs.js'
import { findBuild } from './run/find-build.js'
import { LogFollower } from './run/follow-log.js'
import { locateRunFailures } from './run/locate-failures.js'
import { planStages } from './run/plan-stages.js'
import { readSummarySections } from './run/read-sections.js'
import { publishResult, reportDetached, reportVerdict } from './run/report.js'
import { uploadLogs, uploadSkipped } from './run/upload-logs.js'
import { waitForBuild } from './run/wait-for-build.js'

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
  const { jobBuild } = build
  if (!jobBuild) {
    core.debug(
      'follow-log: with record-id alone there is no job ID and build number to ask the live log with; waiting with status lines'
    )
    return undefined
  }
  return new LogFollower(ctx, jobBuild, wait)
}

/** How far a run got: the build and how its wait ended, and whether the report was begun. */
interface Progress {
  build?: BuildRef
  wait?: WaitOutcome
  reportBegun: boolean
}

/**
 * The run's steps, in order: start (when asked), find the record, wait, plan the stages,
 * download, upload, report. Each runs through the canceller, so a cancel ends the run wherever
 * it lands.
 */
async function runSteps(ctx: RunContext, progress: Progress): Promise<void> {
  const { cancellation } = ctx
  const wait = waitFrom(ctx.inputs)
  const found = await findBuild(ctx, wait)
  if ('recordId' in found) {
    setOutputs({ [Outputs.RecordId]: found.recordId })
    return reportDetached(ctx, found.startedBuild, found.recordId)
  }
  const { build, startedBuild } = found
  setOutputs({ [Outputs.RecordId]: build.recordId })

  progress.build = build
  const waitOutcome =
    wait &&
    (await cancellation.step(() =>
      waitForBuild(ctx, build.recordId, wait, follower(ctx, build, wait))
    ))
  progress.wait = waitOutcome
  setOutputs({ [Outputs.BuildStatus]: waitOutcome?.status ?? '' })

  const destination = await cancellation.step(() => prepareDestination(ctx, build.recordId))
  const plan = await cancellation.step(() => planStages(ctx, build.recordId))
  if (waitOutcome?.logCut) {
    const uploading = uploadSkipped(ctx) === undefined
    noticeLogCut(waitOutcome.logCut, {
      destination,
      uploading,
      stagesFetched: plan.taskNames.length
    })
  }
  // The summary's reads ask for their slots first, so they go first on the connections.
  const [sectionAnswers, logs] = await cancellation.step(() =>
    Promise.all([readSummarySections(ctx, build), downloadLogs(ctx, destination, plan)])
  )
  // Once the logs are fetched, a cancel lets the upload and the report finish first.
  await cancellation.step(
    async () => {
      const upload = await uploadLogs(ctx, destination, logs)
      progress.reportBegun = true
      const { results, stages } = logs
      const failures = await locateRunFailures(ctx, results, build, waitOutcome)
      const result = { build, destination, wait: waitOutcome, results, stages, upload, failures }
      await publishResult(ctx, { ...result, startedBuild }, sectionAnswers)
    },
    { logs: 'fetched' }
  )
}

/** On a cancel, the process ends CANCEL_GRACE_MS later whatever still runs. */
function exitAfterGrace(cancellation: Cancellation): void {
  const onCancel = (): void => {
    setTimeout(() => process.exit(EXIT_FAILURE), CANCEL_GRACE_MS).unref()
  }
  cancellation.signal.addEventListener('abort', onCancel, { once: true })
}

/**
 * Where each answer of CodeArts and IAM goes when the runner's step debug logging is on (it sets
 * RUNNER_DEBUG=1): the debug log, one redacted line each. Off, answers are not logged at all.
 */
function answerLog(env: Env): ((line: string) => void) | undefined {
  return readEnv(env, 'RUNNER_DEBUG') === '1' ? line => core.debug(line) : undefined
}

/** Reads the inputs and masks what must not be seen: nothing is asked of any server yet. */
function readInputs(env: Env): ActionInputs {
  maskSecrets(env)
  const inputs = getInputs(env)
  maskParameterValues(inputs)
  return inputs
}

/** Checks the log folder and signs in: everything before the first CodeArts request. */
async function prepare(
  inputs: ActionInputs,
  retry: RetryPolicy,
  signal: AbortSignal,
  env: Env
): Promise<CodeArtsClient> {
  const logAnswer = answerLog(env)
  // A path that was given is checked before any request; the default one needs the record.
  if (inputs.path !== undefined) await prepareLogDir(inputs.path)
  const authenticator = await signIn(
    inputs.auth,
    { timeoutMs: inputs.timeoutMs, retry, onRetry: logRetry('sign-in'), logAnswer, signal },
    env
  )
  core.info(`Authenticating with ${authenticator.description}`)
  return new CodeArtsClient({
    endpoint: inputs.endpoint,
    authenticator,
    timeoutMs: inputs.timeoutMs,
    logAnswer
  })
}

/**
 * The action: validate inputs, sign in, then run the steps; the one place a failure is
 * annotated. From the sign-in on, a cancel ends the run as cancelled wherever it lands.
 */
export async function run(env: Env = process.env): Promise<void> {
  let client: CodeArtsClient | undefined
  let cancellation: Cancellation | undefined
  let ctx: RunContext | undefined
  const progress: Progress = { reportBegun: false }
  // Outputs a later step reads with fromJSON are valid JSON whatever fails, bad inputs included.
  setOutputs({ ...sectionOutputs(), ...failureOutputs() })
  try {
    const inputs = readInputs(env)
    const retry = retryPolicy(inputs)
    cancellation = new Cancellation({
      stopOnCancel: inputs.stopOnCancel,
      retry,
      onRetry: logRetry('build stop')
    })
    exitAfterGrace(cancellation)
    const { signal } = cancellation
    client = await cancellation.step(() => prepare(inputs, retry, signal, env))
    cancellation.signedIn(client)
    const limiter = new Limiter(inputs.concurrency)
    ctx = { inputs, client, limiter, cancellation, retry, env }
    await runSteps(ctx, progress)
  } catch (error) {
    if (cancellation?.signal.aborted) {
      const at = error instanceof RunCancelled ? error.at : undefined
      const sentence = cancelledSentence(at ?? { logs: 'none' }, await cancellation.outcome())
      annotateProblem(sentence, 'Cancelled', true)
    } else {
      annotateProblem(errorMessage(error), errorTitle(error), true)
      // A step that failed after the wait still says how the build ended.
      if (ctx && progress.build && progress.wait && !progress.reportBegun) {
        reportVerdict(ctx, progress.build, progress.wait)
      }
    }
  } finally {
    // The one place the client is closed: after the stop a cancel sends (which needs it) settles.
    if (cancellation?.signal.aborted) await cancellation.outcome()
    cancellation?.close()
    client?.dispose()
  }
}
