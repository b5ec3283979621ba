import * as core from '@actions/core'
import { describeUploadError, uploadLogs, type UploadedArtifact } from './artifact/upload.js'
import { CodeArtsClient, WHOLE_LOG } from './codearts/client.js'
import { isBuildEnded, pollUntil } from './codearts/build-wait.js'
import {
  listStages,
  readBuildStatus,
  resolveRecordId,
  type ApiCallOptions
} from './codearts/record-api.js'
import { DEFAULT_RETRY_POLICY, type RetryNotice } from './codearts/retry.js'
import { isFailedStatus, type BuildStage } from './codearts/stage-list.js'
import {
  CANCEL_GRACE_MS,
  EXIT_FAILURE,
  Outputs,
  PROGRESS_EVERY_MS,
  SECRET_ENV_VARS,
  SECRET_INPUTS
} from './constants.js'
import { downloadStages, prepareLogDir } from './download/downloader.js'
import { CodeArtsApiError, StepError, errorMessage, errorTitle, sanitizeForLog } from './errors.js'
import { readEnv, readInput, type Env } from './input-reader.js'
import { defaultArtifactName, defaultLogDir, getInputs, type ActionInputs } from './inputs.js'
import { GcPacer, UPLOAD_COLLECT_EVERY_MS, exposeCollector } from './memory/gc-pacer.js'
import { buildErrorAnnotations } from './report/annotations.js'
import { logStageGroups, progressLine } from './report/job-log.js'
import { artifactOutputs, downloadOutputs } from './report/outputs.js'
import type { StageReport } from './report/stage-report.js'
import { renderSummary } from './report/summary.js'
import { signIn } from './signin/sign-in.js'

/** What became of the upload: the artifact, or why there is none. */
interface UploadOutcome {
  artifact?: UploadedArtifact
  note?: string
}

/** The record this run reads, and where its logs and artifact go. */
interface Target {
  recordId: string
  dir: string
  artifactName: string
}

/** The stages to fetch, and what the stage list says of each once it is known. */
interface StagePlan {
  taskNames: string[]
  /** Settles with the listed stages by task name; empty when the list could not be read. */
  listed: Promise<Map<string, BuildStage>>
}

/** Masks every credential, given or inherited, before anything can be logged. */
function maskSecrets(env: Env): void {
  const values = [
    ...SECRET_INPUTS.map(name => readInput(env, name)),
    ...SECRET_ENV_VARS.map(name => readEnv(env, name))
  ]
  for (const value of values) if (value) core.setSecret(value)
}

/** Raises an annotation that fails the step, or only warns when `failStep` is false. */
function annotateProblem(message: string, title: string | undefined, failStep: boolean): void {
  if (failStep) {
    core.error(message, { title })
    process.exitCode = EXIT_FAILURE
  } else {
    core.warning(message, { title })
  }
}

function setOutputs(outputs: Record<string, string>): void {
  for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value)
}

/** Logs a retry of `what` the same way for every request. */
function logRetry(what: string, n: RetryNotice): void {
  core.info(
    `${what}: attempt ${n.attempt} of ${n.maxAttempts} failed: ${sanitizeForLog(n.reason)}; retrying in ${(n.delayMs / 1000).toFixed(1)} s`
  )
}

/** Aborts `cancel` on SIGTERM/SIGINT (a cancelled workflow); returns the function that stops listening. */
function stopOnSignals(cancel: AbortController, client: CodeArtsClient): () => void {
  const onSignal = (signal: NodeJS.Signals): void => {
    core.info(`Received ${signal}: stopping; complete logs stay where they were saved`)
    cancel.abort(new Error(`cancelled by ${signal}`))
    // The signal ends streams in flight (they remove their temporary files); dispose() also
    // closes kept-alive sockets, which http-client's proxy tunnels are not among.
    client.dispose()
    setTimeout(() => process.exit(EXIT_FAILURE), CANCEL_GRACE_MS).unref()
  }
  process.once('SIGTERM', onSignal)
  process.once('SIGINT', onSignal)
  return () => {
    process.off('SIGTERM', onSignal)
    process.off('SIGINT', onSignal)
  }
}

/** Where the wait for a running build stands: how often to ask, and until when. */
interface Wait {
  pollMs: number
  deadline: number
  started: number
}

function waited(wait: Wait): string {
  return `${Math.round((Date.now() - wait.started) / 1000)} s`
}

function isNotFound(error: unknown): boolean {
  return error instanceof CodeArtsApiError && error.details.status === 404
}

/**
 * The record of the inputs: given, or looked up from the job ID and build number. While
 * waiting, a 404 is a build just started and not registered yet: it is asked again until the
 * wait ends.
 */
async function findRecord(
  inputs: ActionInputs,
  client: CodeArtsClient,
  call: ApiCallOptions,
  wait?: Wait
): Promise<string> {
  if ('recordId' in inputs.record) return inputs.record.recordId
  const { jobId, buildNumber } = inputs.record
  const lookup = (): Promise<string> =>
    resolveRecordId(client, jobId, buildNumber, {
      ...call,
      onRetry: n => logRetry('record lookup', n)
    })
  let reported = false
  const notYet = (error: unknown): { error: unknown } => {
    if (wait === undefined || !isNotFound(error)) throw error
    if (!reported) {
      core.info(
        `Build ${buildNumber} of job ${jobId} is not registered yet (404); asking again every ${wait.pollMs / 1000} s`
      )
      reported = true
    }
    return { error }
  }
  try {
    // Without a wait the deadline has passed, so the lookup is made once.
    const found = await pollUntil(
      () => lookup().then(id => ({ id }), notYet),
      outcome => 'id' in outcome,
      { pollMs: wait?.pollMs ?? 1, deadline: wait?.deadline ?? 0, signal: call.signal }
    )
    if ('error' in found.value) throw found.value.error
    core.info(`Build ${buildNumber} of job ${jobId} is record ${found.value.id}`)
    return found.value.id
  } catch (error) {
    call.signal?.throwIfAborted()
    throw new StepError(
      `Could not find build ${buildNumber} of job ${jobId}`,
      `failed to find the record of build ${buildNumber} of job ${jobId}`,
      error,
      'Check job-id (the end of the build task URL in the console) and build-number, or give record-id instead.'
    )
  }
}

/**
 * Waits for the build to end, logging each change of status once; returns the last status
 * seen. A wait that runs out, or a status that cannot be read, only warns: the logs are
 * fetched as they are.
 */
async function waitForBuild(
  inputs: ActionInputs,
  client: CodeArtsClient,
  recordId: string,
  call: ApiCallOptions,
  wait: Wait
): Promise<string> {
  let last: string | undefined
  const read = async (): Promise<string> => {
    const status = await readBuildStatus(client, recordId, {
      ...call,
      onRetry: n => logRetry('build status', n)
    })
    if (status !== last) core.info(`Build status: ${status || '(none yet)'} after ${waited(wait)}`)
    last = status
    return status
  }
  try {
    const { value, done } = await pollUntil(read, isBuildEnded, { ...wait, signal: call.signal })
    if (!done) {
      core.warning(
        `The build was still ${value || 'without a status'} after ${inputs.waitMinutes} minute(s) of waiting (wait-minutes); the logs are what it had written so far.`,
        { title: 'Build still running' }
      )
    }
    return value
  } catch (error) {
    call.signal?.throwIfAborted()
    core.warning(
      `failed to read the status of record ${recordId}: ${errorMessage(error)} The logs are fetched as they are.`,
      { title: 'Could not read the build status' }
    )
    return last ?? ''
  }
}

/**
 * Decides which stages to fetch. `all` and `failed` need the stage list and fail the step
 * without it; named stages are fetched as given while the list is read beside them, for the
 * console's names and results only.
 */
async function planStages(
  inputs: ActionInputs,
  client: CodeArtsClient,
  recordId: string,
  call: ApiCallOptions
): Promise<StagePlan> {
  const listed = listStages(
    client,
    recordId,
    { ...call, onRetry: n => logRetry('stage list', n) },
    why => core.debug(`stage list: skipped an entry: ${sanitizeForLog(why)}`)
  )
  const byName = (stages: BuildStage[]): Map<string, BuildStage> =>
    new Map(stages.map(stage => [stage.taskName, stage]))
  const selection = inputs.stages
  if (selection.kind === 'named') {
    const known = listed.then(byName, (error: unknown) => {
      core.info(
        `The stage list of record ${recordId} could not be read, so the summary shows stage numbers only: ${sanitizeForLog(errorMessage(error))}`
      )
      return new Map<string, BuildStage>()
    })
    return { taskNames: selection.names, listed: known }
  }

  const listingFailed = (cause: unknown, advice: string): StepError =>
    new StepError(
      `Could not list the stages of record ${recordId}`,
      `failed to list the build actions of record ${recordId}`,
      cause,
      `${advice} name the stages with task-names (e.g. task-names: stage1, stage2).`
    )
  let stages: BuildStage[]
  try {
    stages = await listed
  } catch (error) {
    call.signal?.throwIfAborted()
    throw listingFailed(error, 'To fetch logs without the list,')
  }
  if (stages.length === 0) {
    throw listingFailed('no build actions listed', 'Check that the build has run, or')
  }
  const chosen = selection.kind === 'failed' ? stages.filter(s => isFailedStatus(s.status)) : stages
  core.info(
    `Record ${recordId} lists ${stages.length} build action(s): ${stages
      .map(s => `${s.taskName}${s.status ? ` [${s.status}]` : ''}`)
      .join(', ')}`
  )
  return { taskNames: chosen.map(s => s.taskName), listed: Promise.resolve(byName(stages)) }
}

/** Fetches every planned stage (and the whole log when asked) and adds what the list says of each. */
async function download(
  inputs: ActionInputs,
  client: CodeArtsClient,
  target: Target,
  plan: StagePlan,
  signal: AbortSignal,
  pacer: GcPacer
): Promise<StageReport[]> {
  const taskNames = inputs.wholeLog ? [...plan.taskNames, WHOLE_LOG] : plan.taskNames
  core.info(
    `Fetching ${taskNames.join(', ')} of record ${target.recordId} from ${inputs.endpoint.origin}`
  )
  const results = await downloadStages(
    client,
    {
      recordId: target.recordId,
      taskNames,
      logLevel: inputs.logLevel,
      compress: inputs.compress,
      dir: target.dir,
      concurrency: inputs.concurrency
    },
    {
      retry: { ...DEFAULT_RETRY_POLICY, maxAttempts: inputs.maxAttempts },
      idleTimeoutMs: inputs.timeoutMs,
      signal,
      progressEveryMs: PROGRESS_EVERY_MS,
      onProgress: (stage, bytes, elapsedMs) => core.info(progressLine(stage, bytes, elapsedMs)),
      onBytes: bytes => pacer.received(bytes),
      onRetry: logRetry
    }
  )
  const listed = await plan.listed
  return results.map(result => {
    const stage = listed.get(result.stage)
    return { ...result, displayName: stage?.displayName, buildStatus: stage?.status }
  })
}

/** Uploads what was downloaded, or says why not. */
async function upload(
  inputs: ActionInputs,
  target: Target,
  results: readonly StageReport[],
  env: Env
): Promise<UploadOutcome> {
  const files = results.flatMap(r => (r.file === null ? [] : [r.file]))
  if (!inputs.upload) {
    return { note: `Upload turned off (upload: false); the logs are in ${target.dir}.` }
  }
  if (files.length === 0) {
    return { note: 'No log was downloaded, so no artifact was uploaded.' }
  }
  if (!env.ACTIONS_RUNTIME_TOKEN) {
    const note = `Not running in GitHub Actions (ACTIONS_RUNTIME_TOKEN is not set), so the logs were not uploaded; they are in ${target.dir}.`
    core.warning(note, { title: 'Artifact upload skipped' })
    return { note }
  }
  try {
    const artifact = await uploadLogs(
      {
        name: target.artifactName,
        files,
        rootDir: target.dir,
        retentionDays: inputs.retentionDays,
        compressionLevel: inputs.compressionLevel
      },
      env
    )
    core.info(
      `Uploaded ${files.length} log file(s) as artifact ${target.artifactName}: ${artifact.url || artifact.noUrlReason}`
    )
    return { artifact }
  } catch (error) {
    const message = describeUploadError(target.artifactName, error)
    annotateProblem(message, 'Artifact upload failed', inputs.failOnError)
    return { note: message }
  }
}

async function writeSummary(
  inputs: ActionInputs,
  target: Target,
  buildStatus: string,
  results: readonly StageReport[],
  outcome: UploadOutcome,
  env: Env
): Promise<void> {
  if (!inputs.summary || !env.GITHUB_STEP_SUMMARY) return
  const text = renderSummary({
    recordId: target.recordId,
    buildStatus,
    region: inputs.region,
    logLevel: inputs.logLevel,
    results,
    artifactName: target.artifactName,
    artifact: outcome.artifact,
    uploadNote: outcome.note
  })
  try {
    await core.summary.addRaw(text).write()
  } catch (error) {
    core.warning(`could not write the job summary: ${errorMessage(error)}`)
  }
}

/** Finds the record and its stages, downloads, uploads, sets outputs and reports; throws when it cannot go on. */
async function fetchLogs(
  inputs: ActionInputs,
  client: CodeArtsClient,
  signal: AbortSignal,
  env: Env
): Promise<void> {
  const call: ApiCallOptions = {
    retry: { ...DEFAULT_RETRY_POLICY, maxAttempts: inputs.maxAttempts },
    signal
  }
  const wait: Wait | undefined =
    inputs.waitMinutes > 0
      ? {
          pollMs: inputs.pollSeconds * 1000,
          started: Date.now(),
          deadline: Date.now() + inputs.waitMinutes * 60_000
        }
      : undefined
  const recordId = await findRecord(inputs, client, call, wait)
  // Set at once, so later steps know the record even when this step fails further on.
  setOutputs({ [Outputs.RecordId]: recordId })
  const buildStatus = wait ? await waitForBuild(inputs, client, recordId, call, wait) : ''
  setOutputs({ [Outputs.BuildStatus]: buildStatus })
  const target: Target = {
    recordId,
    dir: inputs.path ?? defaultLogDir(env, recordId),
    artifactName: inputs.artifactName ?? defaultArtifactName(recordId)
  }
  if (inputs.path === undefined) await prepareLogDir(target.dir)

  const plan = await planStages(inputs, client, recordId, call)
  if (plan.taskNames.length === 0) {
    const note = `No build action of record ${recordId} failed, so no log was downloaded.`
    core.notice(note, { title: 'No failed build actions' })
    setOutputs(downloadOutputs(target.dir, []))
    setOutputs(artifactOutputs(undefined))
    await writeSummary(inputs, target, buildStatus, [], { note }, env)
    return
  }

  const pacer = new GcPacer(exposeCollector())
  const results = await download(inputs, client, target, plan, signal, pacer)
  core.debug(
    pacer.active
      ? `Asked V8 for ${pacer.asked.minor} young-generation and ${pacer.asked.major} full collections while receiving the logs`
      : 'V8 refused --expose-gc, so collections were left to V8 (a large log takes more memory)'
  )
  logStageGroups(results)
  setOutputs(downloadOutputs(target.dir, results))
  if (signal.aborted) {
    const kept = results.filter(r => r.status === 'downloaded').length
    annotateProblem(
      `The step was cancelled: ${kept} of ${results.length} logs were complete and stay in ${target.dir}; nothing was uploaded.`,
      'Cancelled',
      true
    )
    return
  }

  const stopPacing = pacer.collectEvery(UPLOAD_COLLECT_EVERY_MS)
  const outcome = await upload(inputs, target, results, env).finally(stopPacing)
  setOutputs(artifactOutputs(outcome.artifact))
  await writeSummary(inputs, target, buildStatus, results, outcome, env)

  // The action's own failures first: GitHub shows at most 10 annotations of a kind per step.
  for (const r of results) {
    if (r.status === 'failed') {
      const what = r.stage === WHOLE_LOG ? 'the whole-build log' : r.stage
      annotateProblem(r.error, r.title ?? `Could not download ${what}`, inputs.failOnError)
    }
  }
  for (const { title, message } of buildErrorAnnotations(results, inputs.buildErrorAnnotations)) {
    core.warning(message, { title })
  }
}

/** The action: validate inputs, find the record and its stages, download, upload, report. */
export async function run(env: Env = process.env): Promise<void> {
  try {
    maskSecrets(env)
    const inputs = getInputs(env)
    // A path that was given is checked before any request; the default one needs the record.
    if (inputs.path !== undefined) await prepareLogDir(inputs.path)

    const authenticator = await signIn(inputs.auth, {
      timeoutMs: inputs.timeoutMs,
      retry: { ...DEFAULT_RETRY_POLICY, maxAttempts: inputs.maxAttempts },
      onRetry: n => logRetry('sign-in', n)
    })
    core.info(`Authenticating with ${authenticator.description}`)
    const client = new CodeArtsClient({
      endpoint: inputs.endpoint,
      authenticator,
      timeoutMs: inputs.timeoutMs
    })
    const cancel = new AbortController()
    const stopListening = stopOnSignals(cancel, client)
    try {
      await fetchLogs(inputs, client, cancel.signal, env)
    } catch (error) {
      if (!cancel.signal.aborted) throw error
      annotateProblem(
        'The step was cancelled before any log was downloaded; nothing was uploaded.',
        'Cancelled',
        true
      )
    } finally {
      stopListening()
      client.dispose()
    }
  } catch (error) {
    annotateProblem(errorMessage(error), errorTitle(error), true)
  }
}
