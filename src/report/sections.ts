import * as path from 'node:path'
import type { UploadedArtifact } from '../artifact/upload.js'
import type { BuildRecord } from '../codearts/build-record.js'
import type { CallOptions, CodeArtsClient } from '../codearts/client.js'
import { WHOLE_LOG } from '../codearts/log-api.js'
import type { BuildStage } from '../codearts/stage-list.js'
import { isFailedStatus, statusKind } from '../codearts/status.js'
import { ELLIPSIS, cutCodePoints, cutCodeUnits } from '../text-cut.js'
import { formatDuration } from './time-format.js'
import {
  blobLink,
  compileErrorOn,
  placeText,
  SHOWN_CHARS,
  type FailureLists,
  type GitHubRepository
} from './failures.js'
import { escapeForSummary, escapeHtml, formatBytes, oneLine, plural } from './markdown.js'
import type { BuildRef } from './run-result.js'
import { stageLabel, type StageReport } from './stage-report.js'

/** What the job summary is made from: the run's result, as far as the summary shows it. */
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
  startedBuild?: string
  /** The build's number, where the run knows it. */
  buildNumber?: number
  /** What the record's answers said of the build. */
  record?: BuildRecord
  /** Every action of the stage list in run order; absent or empty when it could not be read. */
  stages?: readonly BuildStage[]
  /** The compile errors and failing tests found in the logs. */
  failures?: FailureLists
  /** Where the repository is on GitHub, for links to the failures' lines. */
  github?: GitHubRepository
}

/** A warning annotation a section raises from what it read. */
export interface SectionWarning {
  title: string
  message: string
}

/** Which of the blocks a section may leave out made it into the summary, by key. */
export interface Fit {
  /** Whether the block was left out for the size limit (false for a key that had no block). */
  leftOut(key: string): boolean
}

/** What a section may read beyond the run: the client, the build, and how to call. */
export interface SectionReader {
  client: CodeArtsClient
  build: BuildRef
  options: CallOptions
}

/**
 * One section of the summary. A new section is one object here or in a file of its own, and
 * one line in summary.ts's SECTIONS. Its contract:
 *
 * - `render` gives its Markdown lines ([] for none) from the run's result, what fit (`fit`) and
 *   what its request answered (`answer`, undefined when it has no request or the request
 *   failed). It escapes every text from a server or a log (markdown.ts), so that text can add
 *   no markup or link. `optional` names the blocks it may lose to the size limit, most
 *   important first; `render` then says, in their place, that they were left out.
 * - `read` is a request made only for this section, through an endpoint's reader (one file in
 *   codearts/). It runs once per run, in a slot of the run's Limiter (limiter.ts), so it shares
 *   the logs' `concurrency` connections; the section reads ask for their slots before the
 *   downloads do. It has 30 s in all from when it gets its slot, retries included: then the
 *   signal of `reader.options` aborts it. It may answer undefined when there is nothing to show,
 *   saying why in one `core.debug` line that starts `summary: `. It may throw: readSections
 *   (summary.ts) catches every failure, time-out included, and writes one `core.debug` line
 *   naming the section by `name`; the section then gets undefined and shows nothing (or its
 *   fallback). A read never throws into the run, nor fails the step.
 * - `outputs` are the step outputs it sets from `answer`; they are set also when `answer` is
 *   undefined (nothing read, a failed read, or no summary asked for), so a later step can test
 *   them.
 * - `warnings` are the annotations it raises from `answer`; they are raised in the order of the
 *   sections, before the warnings of the build errors found in the logs, which take what is
 *   left of GitHub's 10.
 */
export interface Section<T = never> {
  /** What the section shows, for the debug line of a failed read. */
  name?: string
  read?(reader: SectionReader): Promise<T | undefined>
  render(summary: SummaryData, fit: Fit, answer: T | undefined): string[]
  optional?(summary: SummaryData): [key: string, block: string][]
  outputs?(answer: T | undefined): Record<string, string>
  warnings?(summary: SummaryData, answer: T | undefined): SectionWarning[]
}

/** The most of a download failure's message the summary shows, before the ellipsis. */
const MAX_MESSAGE_CHARS = 1000
const EXCERPT_LEFT_OUT = ' (excerpt left out: summary size limit)'

/** The CodeArts result of an action or build as the console would flag it: a failure stands out. */
export function resultCell(status: string | undefined): string {
  if (status === undefined) return ''
  const shown = escapeForSummary(status)
  if (isFailedStatus(status)) return `❌ **${shown}**`
  return statusKind(status) === 'succeeded' ? `✅ ${shown}` : shown
}

/** The heading and the line about the record, its build and how many logs came. */
export const headline: Section = {
  render: summary => {
    const downloaded = summary.results.filter(r => r.status === 'downloaded').length
    const buildFailed = summary.results.filter(r => isFailedStatus(r.buildStatus)).length
    const failedActions =
      buildFailed > 0 ? ` · **${plural(buildFailed, 'failed build action')}**` : ''
    return [
      '## CodeArts Build logs',
      '',
      `Record \`${escapeForSummary(summary.recordId)}\`` +
        ` · region \`${escapeForSummary(summary.region)}\` · log level ${summary.logLevel}` +
        ` · ${downloaded} of ${summary.results.length} logs downloaded${failedActions}`,
      ''
    ]
  }
}

/** What this step started, when it started the build. */
export const startedBuild: Section = {
  render: summary =>
    summary.startedBuild ? [`${escapeForSummary(summary.startedBuild)}.`, ''] : []
}

function firstErrorKey(result: StageReport): string {
  return `first-error:${result.stage}`
}

function stageRow(result: StageReport, fit: Fit, withConsole: boolean): string {
  // The whole log has no action of its own; its label says what it is.
  const name = result.stage === WHOLE_LOG ? stageLabel(result) : result.stage
  const stage = withConsole
    ? `${name} | ${escapeForSummary(result.displayName ?? '')} | ${resultCell(result.buildStatus)} | ${formatDuration(result.ranMs)}`
    : name
  if (result.status === 'failed') return `| ${stage} | ⚠️ not downloaded |  |  |  |  |`
  const stats = result.stats
  const note = fit.leftOut(firstErrorKey(result)) ? EXCERPT_LEFT_OUT : ''
  const counts = stats
    ? `${stats.lines} | ${stats.errors}${note} | ${stats.warnings}`
    : 'not scanned (compressed) |  | '
  return `| ${stage} | \`${escapeForSummary(path.basename(result.file))}\` | ${formatBytes(result.bytes)} | ${counts} |`
}

/**
 * A row per stage: its log and counts, with the console's name, result and the action's time
 * in CodeArts where the stage list gives them (the download's time is in the job log).
 */
export const stageTable: Section = {
  render: (summary, fit) => {
    if (summary.results.length === 0) return []
    // The console's columns only when the stage list gave names or results.
    const withConsole = summary.results.some(
      r => r.displayName || r.buildStatus || r.ranMs !== undefined
    )
    return [
      `| Stage |${withConsole ? ' Action | Result | Time |' : ''} Log | Size | Lines | Errors | Warnings |`,
      `| --- |${withConsole ? ' --- | --- | ---: |' : ''} --- | ---: | ---: | ---: | ---: |`,
      ...summary.results.map(result => stageRow(result, fit, withConsole)),
      ''
    ]
  }
}

/** The artifact's link, or its name and why it has no link, or why there is none. */
export const artifact: Section = {
  render: summary => {
    const name = escapeForSummary(summary.artifactName)
    if (summary.artifact?.url) return [`Artifact: [${name}](${summary.artifact.url})`, '']
    if (summary.artifact) {
      const why = summary.artifact.noUrlReason ?? 'no link to the artifact'
      return [`Artifact: ${name} (ID ${summary.artifact.id}), ${escapeForSummary(why)}.`, '']
    }
    return summary.uploadNote ? [escapeForSummary(summary.uploadNote), ''] : []
  }
}

/** One list item per stage whose log could not be downloaded, with why. */
export const downloadFailures: Section = {
  render: summary => {
    const items = summary.results.flatMap(result => {
      if (result.status !== 'failed') return []
      const shown = cutCodeUnits(result.error, MAX_MESSAGE_CHARS + ELLIPSIS.length)
      return [`- **${escapeForSummary(stageLabel(result))}**: ${escapeForSummary(shown)}`]
    })
    return items.length > 0 ? [...items, ''] : []
  }
}

/**
 * A link to the line of the repository that an excerpt's error line (its first `[ERROR]` line)
 * reports, when that is a located compile error: ` · <a href="…">src/App.java:12</a>`; '' else.
 */
function excerptLink(summary: SummaryData, stage: string, context: readonly string[]): string {
  const errorLine = context.find(line => line.includes('[ERROR]'))
  if (errorLine === undefined || !summary.failures) return ''
  const error = compileErrorOn(summary.failures, stage, errorLine)
  const href = error && blobLink(summary.github, summary.failures.commit, error)
  if (!error || !href) return ''
  const text = escapeHtml(oneLine(cutCodePoints(placeText(error), SHOWN_CHARS)))
  return ` · <a href="${escapeHtml(href)}">${text}</a>`
}

/** A stage's first error with a few lines before it and what follows it, collapsed; undefined when it has none. */
function firstErrorBlock(summary: SummaryData, result: StageReport): string | undefined {
  if (result.status !== 'downloaded' || !result.stats?.firstError) return undefined
  const { line, context } = result.stats.firstError
  const link = excerptLink(summary, result.stage, context)
  return [
    // A blank line would end the HTML block early and leave the rest to be read as Markdown.
    `<details><summary>${escapeHtml(oneLine(stageLabel(result)))}: first error, line ${line}${link}</summary>`,
    '',
    `<pre>${context.map(escapeHtml).join('\n')}</pre>`,
    '',
    '</details>',
    ''
  ].join('\n')
}

/** Each stage's first error in a collapsed block, as many as fit. */
export const firstErrors: Section = {
  optional: summary =>
    summary.results.flatMap(result => {
      const block = firstErrorBlock(summary, result)
      return block === undefined ? [] : [[firstErrorKey(result), block] as [string, string]]
    }),
  render: (summary, fit) => {
    const blocks = (firstErrors.optional?.(summary) ?? []).filter(([key]) => !fit.leftOut(key))
    return blocks.length > 0 ? ['### First errors', '', ...blocks.map(([, block]) => block)] : []
  }
}
