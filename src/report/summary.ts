import { escapeForSummary } from './markdown.js'
import {
  artifact,
  downloadFailures,
  firstErrors,
  headline,
  stageTable,
  startedBuild,
  type Fit,
  type Section,
  type SummaryData
} from './sections.js'

/**
 * GitHub rejects a step summary over 1 MiB whole; stay well below it, leaving room for what
 * other steps' summaries do not share (each step has its own limit).
 */
export const SUMMARY_LIMIT_BYTES = 768 * 1024

/** The summary's sections, in the order they appear: a new section is one line here. */
const SECTIONS: readonly Section[] = [
  headline,
  startedBuild,
  stageTable,
  artifact,
  downloadFailures,
  firstErrors
]

const encoder = new TextEncoder()

function size(text: string): number {
  return encoder.encode(text).length
}

function render(data: SummaryData, fit: Fit): string {
  return `${SECTIONS.flatMap(section => section.render(data, fit)).join('\n')}\n`
}

/**
 * The one place that decides what fits in the size limit: the summary with every optional
 * block left out (each section says where one was) is what must fit; the optional blocks then
 * go in, in order, while they fit in what is left.
 */
function fitToLimit(data: SummaryData): Fit {
  const optional = SECTIONS.flatMap(section => section.optional?.(data) ?? [])
  const leftOut = new Set(optional.map(([key]) => key))
  let room = SUMMARY_LIMIT_BYTES - size(render(data, { leftOut: key => leftOut.has(key) }))
  for (const [key, block] of optional) {
    const cost = size(block)
    if (cost >= room) continue
    leftOut.delete(key)
    room -= cost
  }
  return { leftOut: key => leftOut.has(key) }
}

/**
 * Renders the job summary from its sections: everything from a log or a server is escaped,
 * and blocks that would take it over its size limit are left out, saying so.
 */
export function renderSummary(data: SummaryData): string {
  return render(data, fitToLimit(data))
}

/** The summary of a build started and not waited for (`wait-minutes: 0`): what, and its record. */
export function renderStartSummary(startedBuild: string, recordId: string): string {
  const record = recordId
    ? `Record \`${escapeForSummary(recordId)}\``
    : 'The build was not registered yet, so there is no record ID.'
  return [
    '## CodeArts Build',
    '',
    `${escapeForSummary(startedBuild)}.`,
    '',
    `${record} · not waited for (wait-minutes: 0), so no log was fetched.`,
    ''
  ].join('\n')
}
