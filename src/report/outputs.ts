import type { UploadedArtifact } from '../artifact/upload.js'
import { Outputs } from '../constants.js'
import type { StageResult } from '../download/downloader.js'

type StageOutput =
  | { file: string; bytes: number; status: 'downloaded' }
  | { file: null; bytes: 0; status: 'failed'; error: string }

/** The download outputs: log folder, files in task-names order, per-stage detail, failures. */
export function downloadOutputs(
  logDir: string,
  results: readonly StageResult[]
): Record<string, string> {
  const stages: Record<string, StageOutput> = {}
  for (const result of results) {
    stages[result.stage] =
      result.status === 'downloaded'
        ? { file: result.file, bytes: result.bytes, status: 'downloaded' }
        : { file: null, bytes: 0, status: 'failed', error: result.error }
  }
  return {
    [Outputs.LogDir]: logDir,
    [Outputs.Files]: JSON.stringify(results.flatMap(r => (r.file === null ? [] : [r.file]))),
    [Outputs.Stages]: JSON.stringify(stages),
    [Outputs.FailedStages]: JSON.stringify(
      results.filter(r => r.status === 'failed').map(r => r.stage)
    )
  }
}

/** The artifact outputs; empty strings when nothing was uploaded, so later steps can test them. */
export function artifactOutputs(artifact: UploadedArtifact | undefined): Record<string, string> {
  return {
    [Outputs.ArtifactId]: artifact ? String(artifact.id) : '',
    [Outputs.ArtifactUrl]: artifact?.url ?? '',
    [Outputs.ArtifactDigest]: artifact?.digest ?? ''
  }
}
