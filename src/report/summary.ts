import * as path from 'node:path'
import type { UploadedArtifact } from '../artifact/upload.js'
import { WHOLE_LOG } from '../codearts/client.js'
import { isFailedStatus } from '../codearts/stage-list.js'
import { stageLabel, type StageReport } from './stage-report.js'

/** What the job summary reports. */
export interface SummaryData {
  recordId: string
  /** How the build ended (or the last status seen while waiting); empty or absent when unknown. */
  buildStatus?: string
  region: string
  logLevel: string
  results: readonly StageReport[]
  artifactName: string
  artifact?: UploadedArtifact
  /** Why there is no artifact, when there is none. */
  uploadNote?: string
  /** What this step started, e.g. `Started build 55 of job J with parameters A, B`. */
  started?: string
}

/**
 * GitHub rejects a step summary over 1 MiB whole; stay well below it, leaving room for what
 * other steps' summaries do not share (each step has its own limit).
 */
export const SUMMARY_LIMIT_BYTES = 768 * 1024
const MAX_MESSAGE_CHARS = 1000

/** Escapes text for HTML, for the inside of a `<pre>` block, where Markdown is not parsed. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)
}

// Line breaks of any kind and other control characters: one of them inside a table cell ends
// the row there, and what follows is read as a row or a paragraph of its own.
const NOT_ONE_LINE = /[\p{Cc}\p{Zl}\p{Zp}]+/gu

function oneLine(text: string): string {
  return text.replace(NOT_ONE_LINE, ' ')
}

/**
 * Escapes text for a Markdown line of the summary, so server text never becomes markup: HTML,
 * and the Markdown that would make links (autolinks too), images, emphasis, code or table cells; and keeps it
 * on one line, so it cannot split a table row or a list item, whoever shaped it before.
 */
export function escapeForSummary(text: string): string {
  return (
    oneLine(text)
      .replace(/[&<>"'|`[\]()!*_~\\#@]/g, c => `&#${c.charCodeAt(0)};`)
      // GFM links bare URLs and www. names by itself (an address with @ is escaped above).
      .replace(/:(?=\/\/)/g, '&#58;')
      .replace(/(www)\./gi, '$1&#46;')
  )
}

/** Formats a byte count for people: `512 B`, `1.5 KiB`, `3.2 MiB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`
}

function excerpt(result: StageReport): string | undefined {
  if (result.status !== 'downloaded' || !result.stats?.firstError) return undefined
  const { line, context } = result.stats.firstError
  return [
    // A blank line would end the HTML block early and leave the rest to be read as Markdown.
    `<details><summary>${escapeHtml(oneLine(stageLabel(result)))}: first error, line ${line}</summary>`,
    '',
    `<pre>${context.map(escapeHtml).join('\n')}</pre>`,
    '',
    '</details>',
    ''
  ].join('\n')
}

/** The CodeArts result of an action as the console would flag it: a failure stands out. */
function buildResultCell(status: string | undefined): string {
  if (status === undefined) return ''
  const shown = escapeForSummary(status)
  if (isFailedStatus(status)) return `❌ **${shown}**`
  return status === 'success' ? `✅ ${shown}` : shown
}

function row(result: StageReport, excerptNote: string, withConsole: boolean): string {
  // The whole log has no action of its own; its label says what it is.
  const name = result.stage === WHOLE_LOG ? stageLabel(result) : result.stage
  const stage = withConsole
    ? `${name} | ${escapeForSummary(result.displayName ?? '')} | ${buildResultCell(result.buildStatus)}`
    : name
  if (result.status === 'failed') {
    return `| ${stage} | ⚠️ not downloaded |  |  |  |  | ${seconds(result.durationMs)} |`
  }
  const stats = result.stats
  const counts = stats
    ? `${stats.lines} | ${stats.errors}${excerptNote} | ${stats.warnings}`
    : 'not scanned (compressed) |  | '
  return `| ${stage} | \`${escapeForSummary(path.basename(result.file))}\` | ${formatBytes(result.bytes)} | ${counts} | ${seconds(result.durationMs)} |`
}

/**
 * Renders the job summary: a table of stages, the artifact, failures, and each stage's first
 * error in a collapsed block. Everything from a log or a server is HTML-escaped, and excerpts
 * are left out (the table says so) where they would take the summary over its size limit.
 */
export function renderSummary(data: SummaryData): string {
  const encoder = new TextEncoder()
  const size = (text: string): number => encoder.encode(text).length
  const failed = data.results.filter(r => r.status === 'failed')
  const failures = failed.map(result => {
    const message = result.status === 'failed' ? result.error : ''
    const shown =
      message.length > MAX_MESSAGE_CHARS ? `${message.slice(0, MAX_MESSAGE_CHARS)}…` : message
    return `- **${escapeForSummary(stageLabel(result))}**: ${escapeForSummary(shown)}`
  })
  const excerpts = new Map<string, string>()
  // What is left for excerpts once the table, the failures and the rest have their room.
  let budget =
    SUMMARY_LIMIT_BYTES - 16 * 1024 - data.results.length * 200 - size(failures.join('\n'))
  for (const result of data.results) {
    const block = excerpt(result)
    if (block === undefined) continue
    const cost = size(block)
    excerpts.set(result.stage, cost <= budget ? block : '')
    if (cost <= budget) budget -= cost
  }

  // The console's columns only when the stage list gave names or results.
  const withConsole = data.results.some(r => r.displayName || r.buildStatus)
  const buildFailed = data.results.filter(r => isFailedStatus(r.buildStatus)).length
  const lines = [
    '## CodeArts Build logs',
    '',
    `Record \`${escapeForSummary(data.recordId)}\`` +
      (data.buildStatus ? ` · build ${buildResultCell(data.buildStatus)}` : '') +
      ` · region \`${escapeForSummary(data.region)}\` · log level ${data.logLevel}` +
      ` · ${data.results.length - failed.length} of ${data.results.length} logs downloaded` +
      (buildFailed > 0
        ? ` · **${buildFailed} failed build action${buildFailed > 1 ? 's' : ''}**`
        : ''),
    ''
  ]
  if (data.started) lines.push(`${escapeForSummary(data.started)}.`, '')
  if (data.results.length > 0) {
    lines.push(
      `| Stage |${withConsole ? ' Action | Result |' : ''} Log | Size | Lines | Errors | Warnings | Time |`,
      `| --- |${withConsole ? ' --- | --- |' : ''} --- | ---: | ---: | ---: | ---: | ---: |`
    )
    for (const result of data.results) {
      const block = excerpts.get(result.stage)
      const note = block === '' ? ' (excerpt left out: summary size limit)' : ''
      lines.push(row(result, note, withConsole))
    }
    lines.push('')
  }
  if (data.artifact?.url) {
    lines.push(`Artifact: [${escapeForSummary(data.artifactName)}](${data.artifact.url})`, '')
  } else if (data.artifact) {
    const why = data.artifact.noUrlReason ?? 'no link to the artifact'
    const name = escapeForSummary(data.artifactName)
    lines.push(`Artifact: ${name} (ID ${data.artifact.id}), ${escapeForSummary(why)}.`, '')
  } else if (data.uploadNote) {
    lines.push(escapeForSummary(data.uploadNote), '')
  }
  if (failures.length > 0) lines.push(...failures, '')
  const blocks = [...excerpts.values()].filter(Boolean)
  if (blocks.length > 0) lines.push('### First errors', '', ...blocks)
  return `${lines.join('\n')}\n`
}

/** The summary of a build started and not waited for (`wait-minutes: 0`): what, and its record. */
export function renderStartSummary(started: string, recordId: string): string {
  const record = recordId
    ? `Record \`${escapeForSummary(recordId)}\``
    : 'The build was not registered yet, so there is no record ID.'
  return [
    '## CodeArts Build',
    '',
    `${escapeForSummary(started)}.`,
    '',
    `${record} · not waited for (wait-minutes: 0), so no log was fetched.`,
    ''
  ].join('\n')
}
