import * as core from '@actions/core'
import { sanitizeForLog } from '../errors.js'
import { stageLabel, type StageReport } from './stage-report.js'
import { formatBytes } from './summary.js'

/** The one-line heading of a stage's group in the job log. */
export function stageHeadline(result: StageReport): string {
  const time = `${(result.durationMs / 1000).toFixed(1)} s`
  const label = sanitizeForLog(stageLabel(result))
  const outcome = result.buildStatus ? ` [${sanitizeForLog(result.buildStatus)}]` : ''
  if (result.status === 'failed') return `${label}${outcome}: download failed after ${time}`
  const stats = result.stats
  const counts = stats
    ? `, ${stats.lines} lines, ${stats.errors} errors, ${stats.warnings} warnings`
    : ''
  return `${label}${outcome}: ${formatBytes(result.bytes)}${counts} in ${time}`
}

/** A progress line for a large download: bytes so far and the average rate. */
export function progressLine(stage: string, bytes: number, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? formatBytes((bytes * 1000) / elapsedMs) : '?'
  return `${stage}: ${formatBytes(bytes)} so far (${rate}/s)`
}

/** Writes each stage as a collapsible group with its details. */
export function logStageGroups(results: readonly StageReport[]): void {
  for (const result of results) {
    core.startGroup(stageHeadline(result))
    if (result.status === 'downloaded') core.info(`saved to ${result.file}`)
    else core.info(sanitizeForLog(result.error))
    core.info(`attempts: ${result.attempts}`)
    if (result.status === 'downloaded' && result.stats?.firstError) {
      core.info(`first error at line ${result.stats.firstError.line}`)
    }
    core.endGroup()
  }
}
