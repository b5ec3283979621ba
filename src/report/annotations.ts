import type { StageResult } from '../download/downloader.js'
import { sanitizeForLog } from '../errors.js'

/** A warning annotation to raise for a build error found in a log. */
export interface BuildErrorAnnotation {
  title: string
  message: string
}

/**
 * Picks the first `max` `[ERROR]` lines across the stages, in task order, as warnings: GitHub
 * shows at most 10 annotations of a kind per step, so the action's own errors keep their room.
 */
export function buildErrorAnnotations(
  results: readonly StageResult[],
  max: number
): BuildErrorAnnotation[] {
  const annotations: BuildErrorAnnotation[] = []
  for (const result of results) {
    if (result.status !== 'downloaded' || !result.stats) continue
    for (const line of result.stats.errorLines) {
      if (annotations.length >= max) return annotations
      annotations.push({ title: `Build error in ${result.stage}`, message: sanitizeForLog(line) })
    }
  }
  return annotations
}
