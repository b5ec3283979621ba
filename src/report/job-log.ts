import * as core from '@actions/core'
import { randomBytes } from 'node:crypto'
import { sanitizeForLog } from '../server-text.js'
import { formatBytes } from './markdown.js'
import type { LogCut, LogDestination } from './run-result.js'
import { stageLabel, type StageReport } from './stage-report.js'

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

/**
 * The debug line for a stage whose scan dropped recognisers that threw (their names and
 * messages, inert); undefined when none threw. A recogniser that throws is a bug of ours met by
 * a log: worth telling whoever debugs the run, never the step.
 */
function recogniserFailureLine(result: StageReport): string | undefined {
  const failures = result.status === 'downloaded' ? result.stats?.recogniserFailures : undefined
  if (!failures?.length) return undefined
  const label = sanitizeForLog(stageLabel(result))
  return `${label}: the scan of its log dropped recognisers that threw: ${sanitizeForLog(failures.join('; '))}`
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
    const failures = recogniserFailureLine(result)
    if (failures) core.debug(failures)
    core.endGroup()
  }
}

/** A `::stop-commands::` token the text does not hold, so the text cannot end the block early. */
export function stopCommandsToken(
  text: string,
  random = (): string => randomBytes(16).toString('hex')
): string {
  // 128 random bits: a clash is next to impossible, and each one is drawn again, a bounded number of times.
  for (let tries = 0; tries < 8; tries++) {
    const token = random()
    if (!text.includes(token)) return token
  }
  // Cannot reach a user: it takes 8 draws in a row of 128 random bits that all occur in the text.
  throw new Error('could not draw a stop-commands token that the text does not hold')
}

/**
 * Prints a build's own output as text: between `::stop-commands::TOKEN` and `::TOKEN::`, the
 * runner's way to print untrusted text, no line of it is read as a workflow command.
 */
export function printInert(text: string): void {
  const token = stopCommandsToken(text)
  core.info(`::stop-commands::${token}\n${text}\n::${token}::`)
}

/** Where the stage logs that hold the rest of a live log cut short go. */
export interface LogCutPlace {
  destination: LogDestination
  /** The logs are to be uploaded as the destination's artifact (an upload that fails later leaves the folder true). */
  uploading: boolean
  /** How many stage logs are fetched: none when `task-names: failed` finds no failed action. */
  stagesFetched: number
}

/**
 * Says, once the stages to fetch are known, how much of the build's log the job log shows and
 * where the rest is: the log folder, and the artifact it is to be uploaded as, if it is.
 */
export function noticeLogCut(cut: LogCut, place: LogCutPlace): void {
  const shown = cut.shownBytes === 0 ? 'none' : `the first ${formatBytes(cut.shownBytes)}`
  const { dir, artifactName } = place.destination
  const artifact = place.uploading ? `, to be uploaded as artifact ${artifactName}` : ''
  const where =
    place.stagesFetched === 0
      ? 'in its stage logs on CodeArts; none is fetched here, as no build action failed'
      : `in the stage logs (log folder ${dir}${artifact})`
  core.notice(`The job log shows ${shown} of the build's log; the rest is ${where}.`, {
    title: 'Live log not shown whole'
  })
}
