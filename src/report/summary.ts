import * as core from '@actions/core'
import { errorMessage } from '../errors.js'
import { sanitizeForLog } from '../server-text.js'
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
  type SectionReader,
  type SummaryData
} from './sections.js'

/**
 * GitHub rejects a step summary over 1 MiB whole; stay well below it, leaving room for what
 * other steps' summaries do not share (each step has its own limit).
 */
export const SUMMARY_LIMIT_BYTES = 768 * 1024

/** The summary's sections, in the order they appear: a new section is one line here. */
const SECTIONS: readonly Section<unknown>[] = [
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

/** What the sections read beyond the run, by section. */
export type SectionData = ReadonlyMap<Section<unknown>, unknown>

/**
 * Makes the requests of the sections that read more than the run, all at once; a request that
 * fails costs its section and a debug line, never the step.
 */
export async function readSectionData(
  reader: SectionReader,
  sections: readonly Section<unknown>[] = SECTIONS
): Promise<SectionData> {
  const reads = sections.map(async section => {
    try {
      return [section, await section.read?.(reader)] as const
    } catch (error) {
      core.debug(`summary: a section's request failed: ${sanitizeForLog(errorMessage(error))}`)
      return [section, undefined] as const
    }
  })
  return new Map(await Promise.all(reads))
}

function render(data: SummaryData, fit: Fit, read: SectionData): string {
  const lines = SECTIONS.flatMap(section => section.render(data, fit, read.get(section)))
  return `${lines.join('\n')}\n`
}

/**
 * The one place that decides what fits in the size limit: the summary with every optional
 * block left out (each section says where one was) is what must fit; the optional blocks then
 * go in, in order, while they fit in what is left.
 */
function fitToLimit(data: SummaryData, read: SectionData): Fit {
  const optional = SECTIONS.flatMap(section => section.optional?.(data) ?? [])
  const leftOut = new Set(optional.map(([key]) => key))
  let room = SUMMARY_LIMIT_BYTES - size(render(data, { leftOut: key => leftOut.has(key) }, read))
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
export function renderSummary(data: SummaryData, read: SectionData = new Map()): string {
  return render(data, fitToLimit(data, read), read)
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
