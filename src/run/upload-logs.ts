import * as core from '@actions/core'
import { describeUploadError, uploadArtifact } from '../artifact/upload.js'
import { UPLOAD_COLLECT_EVERY_MS } from '../memory/gc-pacer.js'
import { annotateProblem } from '../report/annotations.js'
import { artifactOutputs, setOutputs } from '../report/outputs.js'
import type { LogDestination, UploadOutcome } from '../report/run-result.js'
import type { StageReport } from '../report/stage-report.js'
import type { RunContext } from './context.js'
import type { DownloadedLogs } from './download-logs.js'

/** Why the logs that are downloaded are not uploaded, whatever they are; undefined when they are. */
export function uploadSkipped(
  ctx: Pick<RunContext, 'inputs' | 'env'>
): 'turned off' | 'outside Actions' | undefined {
  if (!ctx.inputs.upload) return 'turned off'
  if (!ctx.env.ACTIONS_RUNTIME_TOKEN) return 'outside Actions'
  return undefined
}

async function tryUpload(
  ctx: RunContext,
  destination: LogDestination,
  results: readonly StageReport[]
): Promise<UploadOutcome> {
  const { inputs, env } = ctx
  const files = results.flatMap(r => (r.file === null ? [] : [r.file]))
  const skipped = uploadSkipped(ctx)
  if (skipped === 'turned off') {
    return { note: `Upload turned off (upload: false); the logs are in ${destination.dir}.` }
  }
  if (files.length === 0) {
    return { note: 'No log was downloaded, so no artifact was uploaded.' }
  }
  if (skipped === 'outside Actions') {
    const note = `Not running in GitHub Actions (ACTIONS_RUNTIME_TOKEN is not set), so the logs were not uploaded; they are in ${destination.dir}.`
    core.warning(note, { title: 'Artifact upload skipped' })
    return { note }
  }
  try {
    const artifact = await uploadArtifact(
      {
        name: destination.artifactName,
        files,
        rootDir: destination.dir,
        retentionDays: inputs.retentionDays,
        compressionLevel: inputs.compressionLevel
      },
      env
    )
    core.info(
      `Uploaded ${files.length} log file(s) as artifact ${destination.artifactName}: ${artifact.url || artifact.noUrlReason}`
    )
    return { artifact }
  } catch (error) {
    const message = describeUploadError(destination.artifactName, error)
    annotateProblem(message, 'Artifact upload failed', inputs.failOnError)
    return { note: message }
  }
}

/** Uploads what was downloaded as one artifact, or says why not, and sets the artifact outputs. */
export async function uploadLogs(
  ctx: RunContext,
  destination: LogDestination,
  logs: DownloadedLogs
): Promise<UploadOutcome> {
  let outcome: UploadOutcome = { note: logs.note }
  if (logs.note === undefined) {
    const stopPacing = logs.pacer.collectEvery(UPLOAD_COLLECT_EVERY_MS)
    outcome = await tryUpload(ctx, destination, logs.results).finally(stopPacing)
  }
  setOutputs(artifactOutputs(outcome.artifact))
  return outcome
}
