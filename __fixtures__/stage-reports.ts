/** Stage reports for the report's unit tests: what a run knows of a stage whose log it scanned. */
import type { FirstError } from '../src/download/log-scanner.js'
import type { StageReport } from '../src/report/stage-report.js'

/** What a scanned stage holds beyond its name. */
export interface Scanned {
  displayName?: string
  /** How many unrecognised build errors its log held (`[ERROR] {stage} problem {n}`). */
  groups?: number
  firstError?: FirstError
}

/** A downloaded, scanned stage with the build errors and first error given, and nothing else. */
export function scannedStage(
  stage: string,
  { displayName, groups = 0, firstError }: Scanned = {}
): StageReport {
  return {
    stage,
    status: 'downloaded',
    file: `/logs/${stage}.log`,
    bytes: 10,
    durationMs: 1,
    attempts: 1,
    ...(displayName !== undefined && { displayName }),
    stats: {
      lines: 40,
      errors: groups + (firstError ? 1 : 0),
      warnings: 0,
      errorGroups: Array.from({ length: groups }, (_, i) => [`[ERROR] ${stage} problem ${i + 1}`]),
      findings: [],
      ...(firstError && { firstError })
    }
  }
}
