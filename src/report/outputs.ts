import * as core from '@actions/core'
import type { UploadedArtifact } from '../artifact/upload.js'
import { Outputs } from '../constants.js'
import type { LocatedFailure } from '../locate/located-failure.js'
import { NO_FAILURES, type FailureLists } from './failures.js'
import type { StageReport } from './stage-report.js'

type StageOutput = (
  | { file: string; bytes: number; status: 'downloaded' }
  | { file: null; bytes: 0; status: 'failed'; error: string }
) & { name?: string; result?: string }

/**
 * The download outputs: log folder, files in stage order, per-stage detail (with the console's
 * name and result where the stage list gave them), failures.
 */
export function downloadOutputs(
  logDir: string,
  results: readonly StageReport[]
): Record<string, string> {
  const stages: Record<string, StageOutput> = {}
  for (const result of results) {
    const known = {
      ...(result.displayName !== undefined && { name: result.displayName }),
      ...(result.buildStatus !== undefined && { result: result.buildStatus })
    }
    stages[result.stage] =
      result.status === 'downloaded'
        ? { file: result.file, bytes: result.bytes, status: 'downloaded', ...known }
        : { file: null, bytes: 0, status: 'failed', error: result.error, ...known }
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

/** Entries of the `failed-tests` and `build-errors` outputs at most. */
export const MAX_FAILURE_OUTPUTS = 100

/** A failure's file, line and column, each only where it was located. */
function whereOf({ file, line, column }: LocatedFailure): Partial<Record<string, string | number>> {
  return {
    ...(file !== undefined && { file }),
    ...(line !== undefined && { line }),
    ...(column !== undefined && { column })
  }
}

/**
 * The failure outputs, for a next step: `failed-tests` as `{name, file, line, column, message,
 * stage}` and `build-errors` as `{file, line, column, message, stage}`, the first
 * MAX_FAILURE_OUTPUTS of each in report order; `[]` when there is none (and before the run).
 */
export function failureOutputs(failures: FailureLists = NO_FAILURES): Record<string, string> {
  const first = <T>(list: T[]): T[] => list.slice(0, MAX_FAILURE_OUTPUTS)
  return {
    [Outputs.FailedTests]: JSON.stringify(
      first(failures.failedTests).map(test => ({
        name: test.test,
        ...whereOf(test),
        message: test.message,
        stage: test.stage
      }))
    ),
    [Outputs.BuildErrors]: JSON.stringify(
      first(failures.compileErrors).map(error => ({
        ...whereOf(error),
        message: error.message,
        stage: error.stage
      }))
    )
  }
}

/** Sets outputs at once, so a later step sees them even when this one fails further on. */
export function setOutputs(outputs: Record<string, string>): void {
  for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value)
}
