import { cutCodePoints } from '../text-cut.js'
import { Outputs } from '../constants.js'
import type { LocatedFailure } from '../locate/located-failure.js'
import { blobLink, firstLine, placeText, SHOWN_CHARS, type FailureLists } from './failures.js'
import { escapeForSummary, plural } from './markdown.js'
import type { Fit, Section, SummaryData } from './sections.js'
import { stageLabelIn } from './stage-report.js'

/** Rows of a failure list; the rest are counted. */
export const MAX_FAILURE_ROWS = 50

/** How one list of failures is shown. */
interface FailureList<F extends LocatedFailure> {
  /** The key of its block for the size limit. */
  key: string
  heading: string
  /** `compile error`, `failed test`: what one row is. */
  noun: string
  /** The output that lists them all (up to its own bound). */
  output: Outputs
  pick(failures: FailureLists): F[]
  /** The first column: what failed and where, as one cell. */
  first: { header: string; cell(summary: SummaryData, failure: F): string }
}

function cell(text: string): string {
  return escapeForSummary(cutCodePoints(text, SHOWN_CHARS))
}

/** Where the failure is: a link to its line when located and linkable, else the place as text. */
function placeCell(summary: SummaryData, failure: LocatedFailure): string {
  const text = cell(placeText(failure))
  const href = blobLink(summary.github, summary.failures?.commit, failure)
  return href && text ? `[${text}](${href})` : text
}

function stageCell(summary: SummaryData, stage: string): string {
  return cell(stageLabelIn(summary.results, stage))
}

/** The list's block: a heading, a table of the first MAX_FAILURE_ROWS, and how many more. */
function listBlock<F extends LocatedFailure>(
  summary: SummaryData,
  list: FailureList<F>,
  failures: F[]
): string {
  const rows = failures.slice(0, MAX_FAILURE_ROWS).map(failure => {
    const message = cell(firstLine(failure.message))
    return `| ${list.first.cell(summary, failure)} | ${message} | ${stageCell(summary, failure.stage)} |`
  })
  const more = failures.length - rows.length
  return [
    `### ${list.heading}`,
    '',
    `| ${list.first.header} | Message | Stage |`,
    '| --- | --- | --- |',
    ...rows,
    '',
    ...(more > 0 ? [`and ${more} more.`, ''] : [])
  ].join('\n')
}

/**
 * A section listing one kind of failure, each with a link to its line in the repository: the
 * list is a block the size limit may leave out, and then a line says how many and where the
 * list is instead.
 */
function failureSection<F extends LocatedFailure>(list: FailureList<F>): Section {
  const failuresOf = (summary: SummaryData): F[] =>
    summary.failures ? list.pick(summary.failures) : []
  return {
    optional: summary => {
      const failures = failuresOf(summary)
      return failures.length > 0 ? [[list.key, listBlock(summary, list, failures)]] : []
    },
    render: (summary: SummaryData, fit: Fit) => {
      const failures = failuresOf(summary)
      if (failures.length === 0) return []
      if (!fit.leftOut(list.key)) return [listBlock(summary, list, failures)]
      return [
        `### ${list.heading}`,
        '',
        `${plural(failures.length, list.noun)}; the list was left out (summary size limit): see the \`${list.output}\` output.`,
        ''
      ]
    }
  }
}

/** The compile errors the logs reported, each with its place and message. */
export const compileErrors = failureSection({
  key: 'compile-errors',
  heading: 'Compile errors',
  noun: 'compile error',
  output: Outputs.BuildErrors,
  pick: failures => failures.compileErrors,
  first: { header: 'Where', cell: placeCell }
})

/** The failing tests the logs reported, each with its name, place and message. */
export const failedTests = failureSection({
  key: 'failed-tests',
  heading: 'Failed tests',
  noun: 'failed test',
  output: Outputs.FailedTests,
  pick: failures => failures.failedTests,
  // The name and its place in one cell, so the message keeps room beside a long JUnit name.
  first: {
    header: 'Test',
    cell: (summary, test) => {
      const place = placeCell(summary, test)
      return place === '' ? cell(test.test) : `${cell(test.test)}<br>${place}`
    }
  }
})
