import * as core from '@actions/core'
import { EXIT_FAILURE } from '../constants.js'
import { sanitizeForLog } from '../server-text.js'
import { stageLabel, type StageReport } from './stage-report.js'

/** A warning annotation to raise for a build error found in a log. */
export interface BuildErrorAnnotation {
  title: string
  message: string
}

/**
 * Picks the first `max` build errors across the stages, in task order, as warnings, each with
 * the lines that belong to it as its message: GitHub shows at most 10 annotations of a kind per
 * step, so the action's own errors keep their room.
 */
export function buildErrorAnnotations(
  results: readonly StageReport[],
  max: number
): BuildErrorAnnotation[] {
  const annotations: BuildErrorAnnotation[] = []
  for (const result of results) {
    if (result.status !== 'downloaded' || !result.stats) continue
    for (const lines of result.stats.errorGroups) {
      if (annotations.length >= max) return annotations
      annotations.push({
        title: `Build error in ${sanitizeForLog(stageLabel(result))}`,
        message: lines.map(sanitizeForLog).join('\n')
      })
    }
  }
  return annotations
}

/** Raises an annotation that fails the step, or only warns when `failStep` is false. */
export function annotateProblem(
  message: string,
  title: string | undefined,
  failStep: boolean
): void {
  if (failStep) {
    core.error(message, { title })
    process.exitCode = EXIT_FAILURE
  } else {
    core.warning(message, { title })
  }
}
