import type { Finding } from '../download/recognisers/recogniser.js'

/**
 * A finding of one stage's log, with the repository file it was mapped to. `file`, `line` and
 * `column` are present only when the reported path was located in the repository: `file` is
 * then a path relative to the repository's top, with no `..`, that the file list holds.
 */
export type LocatedFailure = Finding & {
  /** The task name of the stage whose log held it (`stage2`). */
  stage: string
  file?: string
  line?: number
  column?: number
}

/** The failures of a run, and the commit whose file list they were located in. */
export interface LocatedFailures {
  failures: LocatedFailure[]
  /** The commit whose files were listed (for links); absent when no list was read. */
  commit?: string
}
