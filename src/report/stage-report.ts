import { WHOLE_LOG } from '../codearts/log-api.js'
import type { StageResult } from '../download/downloader.js'

/** A stage's download outcome with what the stage list says of it, where the list is known. */
export type StageReport = StageResult & {
  /** The name the CodeArts console shows, e.g. "Build with Maven". */
  displayName?: string
  /** The CodeArts status of the action, lower-cased: `success`, `error`, … */
  buildStatus?: string
  /** The action's time in CodeArts, in ms, where the stage list gives it. */
  ranMs?: number
}

/** The label of the stage named `stage` among `results`: its bare name when it is not there. */
export function stageLabelIn(results: readonly StageReport[], stage: string): string {
  return stageLabel(results.find(result => result.stage === stage) ?? { stage })
}

/** Names a stage for people: `stage2 (Build with Maven)`, `stage2`, or `build (whole log)`. */
export function stageLabel(report: Pick<StageReport, 'stage' | 'displayName'>): string {
  if (report.stage === WHOLE_LOG) return `${WHOLE_LOG} (whole log)`
  return report.displayName ? `${report.stage} (${report.displayName})` : report.stage
}
