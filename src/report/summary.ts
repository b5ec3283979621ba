import * as core from '@actions/core'
import { errorMessage } from '../errors.js'
import { withBudget } from '../http/clock.js'
import type { Limiter } from '../http/limiter.js'
import { sanitizeForLog } from '../server-text.js'
import { buildLine } from './build-line.js'
import { compileErrors, failedTests } from './failures-section.js'
import { escapeForSummary } from './markdown.js'
import { produced } from './produced-section.js'
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
  type SectionWarning,
  type SummaryData
} from './sections.js'
import { tests } from './tests-section.js'
import { timeline } from './timeline.js'

/**
 * GitHub rejects a step summary over 1 MiB whole; stay well below it, leaving room for what
 * other steps' summaries do not share (each step has its own limit).
 */
export const SUMMARY_LIMIT_BYTES = 768 * 1024

/** The longest a section's request may take, retries included, before its section is left out. */
const SECTION_READ_MS = 30_000

/** The summary's sections, in the order they appear: a new section is one line here. */
const SECTIONS: readonly Section<unknown>[] = [
  headline,
  startedBuild,
  buildLine,
  stageTable,
  artifact,
  downloadFailures,
  compileErrors,
  tests,
  failedTests,
  produced,
  timeline,
  firstErrors
]

const encoder = new TextEncoder()

function size(text: string): number {
  return encoder.encode(text).length
}

/** What each section's request answered, by section; a section whose request failed has no entry. */
export type SectionData = ReadonlyMap<Section<unknown>, unknown>

/**
 * Makes the requests of the sections that read more than the run, each in a slot of `limiter`
 * asked for at once, in the order of the sections (so they go before anything that asks for a
 * slot after this call); settles with what they read once every one has ended. A request that
 * fails costs its section and a debug line, never the step, so this never rejects. Each has
 * `limitMs` from when it gets its slot, retries included: it shares the logs' connections and
 * must not hold one long.
 */
export async function readSections(
  reader: SectionReader,
  limiter: Limiter,
  sections: readonly Section<unknown>[] = SECTIONS,
  limitMs = SECTION_READ_MS
): Promise<SectionData> {
  const answers = new Map<Section<unknown>, unknown>()
  const readOne = async (
    section: Section<unknown>,
    read: (reader: SectionReader) => Promise<unknown>
  ): Promise<void> => {
    try {
      const { signal } = withBudget(limitMs, reader.options.signal)
      const options = { ...reader.options, signal }
      answers.set(section, await read({ ...reader, options }))
    } catch (error) {
      const what = section.name ? `the ${section.name} section's` : "a section's"
      core.debug(`summary: ${what} request failed: ${sanitizeForLog(errorMessage(error))}`)
    }
  }
  await Promise.all(
    sections.flatMap(section => {
      const { read } = section
      return read ? [limiter.run(() => readOne(section, read))] : []
    })
  )
  return answers
}

/** The outputs the sections set from their answers (also from none, when nothing was read). */
export function sectionOutputs(answers: SectionData = new Map()): Record<string, string> {
  return Object.assign(
    {},
    ...SECTIONS.map(section => section.outputs?.(answers.get(section)) ?? {})
  )
}

/** The warnings the sections raise from their answers, in the order of the sections. */
export function sectionWarnings(summary: SummaryData, answers: SectionData): SectionWarning[] {
  return SECTIONS.flatMap(section => section.warnings?.(summary, answers.get(section)) ?? [])
}

function render(summary: SummaryData, fit: Fit, answers: SectionData): string {
  const lines = SECTIONS.flatMap(section => section.render(summary, fit, answers.get(section)))
  return `${lines.join('\n')}\n`
}

/**
 * The one place that decides what fits in the size limit: the summary with every optional
 * block left out (each section says where one was) is what must fit; the optional blocks then
 * go in, in order, while they fit in what is left.
 */
function fitToLimit(summary: SummaryData, answers: SectionData): Fit {
  const optional = SECTIONS.flatMap(section => section.optional?.(summary) ?? [])
  const leftOut = new Set(optional.map(([key]) => key))
  let room =
    SUMMARY_LIMIT_BYTES - size(render(summary, { leftOut: key => leftOut.has(key) }, answers))
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
export function renderSummary(summary: SummaryData, answers: SectionData = new Map()): string {
  return render(summary, fitToLimit(summary, answers), answers)
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
