/**
 * Recogniser tests as rows: each case is the logs a recogniser reads and the exact findings it
 * must give in every one of them, driven through the real LogScanner by `recognise`.
 */
import { expect, it } from '@jest/globals'
import type { Finding, Recogniser } from '../src/download/recognisers/recogniser.js'
import { asCodeArtsLog, recognise } from './recognise.js'

/** Text of these lines, one a line: a log, or a finding's message. */
export function lines(...text: string[]): string {
  return text.join('\n')
}

/** Each tool output as a stage log may hold it: as printed, behind CodeArts' prefix, and in colour. */
export function everyForm(...outputs: string[]): string[] {
  return outputs.flatMap(output => [
    output,
    asCodeArtsLog(output),
    asCodeArtsLog(output, { ansi: true })
  ])
}

/** What a recogniser must find in logs: exactly `expected`, in each of them. */
export interface FindingsCase {
  /** Whole logs: captures (in every form, see everyForm) or `lines(…)`. */
  logs: readonly string[]
  expected: Finding[]
}

/** Expects the recogniser to find exactly each case's findings in every one of its logs. */
export function expectFindings(recogniser: Recogniser, ...cases: readonly FindingsCase[]): void {
  expect(cases.length).toBeGreaterThan(0)
  for (const { logs, expected } of cases) {
    expect(logs.length).toBeGreaterThan(0)
    for (const log of logs) expect(recognise(recogniser, log)).toEqual(expected)
  }
}

/** One test of the recogniser as a row: named by its `it`, it expects the row's findings. */
export function itFinds(recogniser: Recogniser, row: FindingsCase & { it: string }): void {
  it(row.it, () => expectFindings(recogniser, row))
}
