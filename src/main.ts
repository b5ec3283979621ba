import * as core from '@actions/core'
import { describeUploadError, uploadLogs, type UploadedArtifact } from './artifact/upload.js'
import { CodeArtsClient } from './codearts/client.js'
import { createAuthenticator } from './codearts/authenticator.js'
import { DEFAULT_RETRY_POLICY } from './codearts/retry.js'
import {
  CANCEL_GRACE_MS,
  EXIT_FAILURE,
  PROGRESS_EVERY_MS,
  SECRET_ENV_VARS,
  SECRET_INPUTS
} from './constants.js'
import { downloadStages, prepareLogDir, type StageResult } from './download/downloader.js'
import { errorMessage, errorTitle, sanitizeForLog } from './errors.js'
import { readEnv, readInput, type Env } from './input-reader.js'
import { getInputs, type ActionInputs } from './inputs.js'
import { buildErrorAnnotations } from './report/annotations.js'
import { logStageGroups, progressLine } from './report/job-log.js'
import { artifactOutputs, downloadOutputs } from './report/outputs.js'
import { renderSummary } from './report/summary.js'

/** What became of the upload: the artifact, or why there is none. */
interface UploadOutcome {
  artifact?: UploadedArtifact
  note?: string
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

/** Fetches every stage; SIGTERM/SIGINT stop it, keeping complete logs. */
async function download(
  inputs: ActionInputs
): Promise<{ results: StageResult[]; cancelled: boolean }> {
  const authenticator = createAuthenticator(inputs.auth)
  core.info(`Authenticating with ${authenticator.description}`)
  core.info(
    `Fetching ${inputs.taskNames.join(', ')} of record ${inputs.recordId} from ${inputs.endpoint.origin}`
  )
  const client = new CodeArtsClient({
    endpoint: inputs.endpoint,
    authenticator,
    timeoutMs: inputs.timeoutMs
  })
  const cancel = new AbortController()
  const onSignal = (signal: NodeJS.Signals): void => {
    core.info(`Received ${signal}: stopping the downloads; complete logs stay in ${inputs.path}`)
    cancel.abort(new Error(`cancelled by ${signal}`))
    // The signal ends streams in flight (they remove their temporary files); dispose() also
    // closes kept-alive sockets, which http-client's proxy tunnels are not among.
    client.dispose()
    setTimeout(() => process.exit(EXIT_FAILURE), CANCEL_GRACE_MS).unref()
  }
  process.once('SIGTERM', onSignal)
  process.once('SIGINT', onSignal)
  try {
    const results = await downloadStages(
      client,
      {
        recordId: inputs.recordId,
        taskNames: inputs.taskNames,
        logLevel: inputs.logLevel,
        compress: inputs.compress,
        dir: inputs.path,
        concurrency: inputs.concurrency
      },
      {
        retry: { ...DEFAULT_RETRY_POLICY, maxAttempts: inputs.maxAttempts },
        idleTimeoutMs: inputs.timeoutMs,
        signal: cancel.signal,
        progressEveryMs: PROGRESS_EVERY_MS,
        onProgress: (stage, bytes, elapsedMs) => core.info(progressLine(stage, bytes, elapsedMs)),
        onRetry: (stage, n) =>
          core.info(
            `${stage}: attempt ${n.attempt} of ${n.maxAttempts} failed: ${sanitizeForLog(n.reason)}; retrying in ${(n.delayMs / 1000).toFixed(1)} s`
          )
      }
    )
    return { results, cancelled: cancel.signal.aborted }
  } finally {
    process.off('SIGTERM', onSignal)
    process.off('SIGINT', onSignal)
    client.dispose()
  }
}

/** Uploads what was downloaded, or says why not. */
async function upload(
  inputs: ActionInputs,
  results: readonly StageResult[],
  env: Env
): Promise<UploadOutcome> {
  const files = results.flatMap(r => (r.file === null ? [] : [r.file]))
  if (!inputs.upload) {
    return { note: `Upload turned off (upload: false); the logs are in ${inputs.path}.` }
  }
  if (files.length === 0) {
    return { note: 'No log was downloaded, so no artifact was uploaded.' }
  }
  if (!env.ACTIONS_RUNTIME_TOKEN) {
    const note = `Not running in GitHub Actions (ACTIONS_RUNTIME_TOKEN is not set), so the logs were not uploaded; they are in ${inputs.path}.`
    core.warning(note, { title: 'Artifact upload skipped' })
    return { note }
  }
  try {
    const artifact = await uploadLogs(
      {
        name: inputs.artifactName,
        files,
        rootDir: inputs.path,
        retentionDays: inputs.retentionDays,
        compressionLevel: inputs.compressionLevel
      },
      env
    )
    core.info(
      `Uploaded ${files.length} log file(s) as artifact ${inputs.artifactName}: ${artifact.url || artifact.noUrlReason}`
    )
    return { artifact }
  } catch (error) {
    const message = describeUploadError(inputs.artifactName, error)
    annotateProblem(message, 'Artifact upload failed', inputs.failOnError)
    return { note: message }
  }
}

async function writeSummary(
  inputs: ActionInputs,
  results: readonly StageResult[],
  outcome: UploadOutcome,
  env: Env
): Promise<void> {
  if (!inputs.summary || !env.GITHUB_STEP_SUMMARY) return
  const text = renderSummary({
    recordId: inputs.recordId,
    region: inputs.region,
    logLevel: inputs.logLevel,
    results,
    artifactName: inputs.artifactName,
    artifact: outcome.artifact,
    uploadNote: outcome.note
  })
  try {
    await core.summary.addRaw(text).write()
  } catch (error) {
    core.warning(`could not write the job summary: ${errorMessage(error)}`)
  }
}

/** The action: validate inputs, download every stage, upload, set outputs, summarise, report. */
export async function run(env: Env = process.env): Promise<void> {
  try {
    maskSecrets(env)
    const inputs = getInputs(env)
    await prepareLogDir(inputs.path)

    const { results, cancelled } = await download(inputs)
    logStageGroups(results)
    setOutputs(downloadOutputs(inputs.path, results))
    if (cancelled) {
      const kept = results.filter(r => r.status === 'downloaded').length
      annotateProblem(
        `The step was cancelled: ${kept} of ${results.length} logs were complete and stay in ${inputs.path}; nothing was uploaded.`,
        'Cancelled',
        true
      )
      return
    }

    const outcome = await upload(inputs, results, env)
    setOutputs(artifactOutputs(outcome.artifact))
    await writeSummary(inputs, results, outcome, env)

    // The action's own failures first: GitHub shows at most 10 annotations of a kind per step.
    for (const r of results) {
      if (r.status === 'failed') {
        annotateProblem(r.error, r.title ?? `Could not download ${r.stage}`, inputs.failOnError)
      }
    }
    for (const { title, message } of buildErrorAnnotations(results, inputs.buildErrorAnnotations)) {
      core.warning(message, { title })
    }
  } catch (error) {
    annotateProblem(errorMessage(error), errorTitle(error), true)
  }
}
