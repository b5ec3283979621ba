import type { UploadedArtifact } from '../artifact/upload.js'
import type { JobBuild } from '../codearts/job-build.js'
import type { BuildRecord } from '../codearts/build-record.js'
import type { BuildStage } from '../codearts/stage-list.js'
import type { LocatedFailures } from '../locate/located-failure.js'
import type { StageReport } from './stage-report.js'

/** The build a run reads: its record, and its job and number where they are known. */
export interface BuildRef {
  recordId: string
  /** The build's job and number, which a job's endpoints are asked with; absent with record-id alone. */
  jobBuild?: JobBuild
  /** What the record lookup said of the build, when the record was looked up. */
  record?: BuildRecord
}

/** How a wait ended: the build ended, the wait ran out, or the status could not be read. */
type WaitEnd = 'ended' | 'timed-out' | 'unreadable'

/** A live log the drain could not show to its end: how much of it the job log shows. */
export interface LogCut {
  shownBytes: number
}

/** What the wait saw last. */
export interface WaitOutcome {
  /** The last status seen, a lower-case word; '' when none was. */
  status: string
  end: WaitEnd
  /** Why the status could not be read, for `unreadable`. */
  problem?: string
  /** How much of the live log the job log shows, when the drain could not show it to its end. */
  logCut?: LogCut
  /** What the last status answer said of the build. */
  record?: BuildRecord
}

/** The record a run reads, and where its logs and artifact go. */
export interface LogDestination {
  recordId: string
  dir: string
  artifactName: string
}

/** What became of the upload: the artifact, or why there is none. */
export interface UploadOutcome {
  artifact?: UploadedArtifact
  note?: string
}

/** Everything a run found out, for the summary and the annotations. */
export interface RunResult {
  build: BuildRef
  destination: LogDestination
  /** How the wait ended; undefined when the step did not wait. */
  wait?: WaitOutcome
  results: readonly StageReport[]
  /** Every action of the stage list in run order; empty when the list could not be read. */
  stages: readonly BuildStage[]
  upload: UploadOutcome
  /** What this step started, when it started the build. */
  startedBuild?: string
  /** The compile errors and failing tests found in the logs, located in the repository. */
  failures: LocatedFailures
}
