import * as core from '@actions/core'
import { readTestReport, type TestCounts, type TestReport } from '../codearts/test-report.js'
import { Outputs } from '../constants.js'
import { sanitizeForLog } from '../server-text.js'
import { escapeForSummary, plural } from './markdown.js'
import type { Section, SummaryData } from './sections.js'

/** An action's name as the console shows it, with its stage: `Build with Maven (stage2)`. */
function actionName(summary: SummaryData, stage: string): string {
  const name = summary.stages?.find(s => s.taskName === stage)?.displayName
  return name ? `${name} (${stage})` : stage
}

/** A failed count stands out as a failed result does. */
function failedCell(n: number): string {
  return n > 0 ? `❌ **${n}**` : '0'
}

function countsRow(name: string, c: TestCounts): string {
  return `| ${name} | ${c.total} | ${c.passed} | ${failedCell(c.failed)} | ${failedCell(c.errors)} | ${c.others} |`
}

/** The counts alone, for the `tests` output: no stage name beside them. */
function bareCounts({ total, passed, failed, errors, others }: TestCounts): TestCounts {
  return { total, passed, failed, errors, others }
}

/** `2 failed and 1 errored of 412 tests`. */
function howMany(c: TestCounts): string {
  const bad = [
    ...(c.failed > 0 ? [`${c.failed} failed`] : []),
    ...(c.errors > 0 ? [`${c.errors} errored`] : [])
  ]
  return `${bad.join(' and ')} of ${plural(c.total, 'test')}`
}

/**
 * The build's unit tests (`GET /v1/report/{job_id}/summary`): totals and a row per action, the
 * `tests` output, and a `Tests failed` warning when any failed or errored.
 */
export const tests: Section<TestReport> = {
  name: 'Tests',
  read: async ({ client, build: { jobBuild }, options }) => {
    if (!jobBuild) return undefined
    const report = await readTestReport(client, jobBuild, options)
    if (!report) core.debug('summary: the build has no unit test report (empty, or no tests)')
    return report
  },
  render: (summary, _fit, report) => {
    if (!report) return []
    const totals =
      report.failed + report.errors > 0
        ? `❌ **${howMany(report)}**`
        : `✅ ${report.passed} of ${report.total} tests passed`
    return [
      '### Tests',
      '',
      `${totals} · ${report.passed} passed · ${report.failed} failed · ${report.errors} errors · ${report.others} others · ${report.total} in all`,
      '',
      ...(report.stages.length === 0
        ? []
        : [
            '| Action | Total | Passed | Failed | Errors | Others |',
            '| --- | ---: | ---: | ---: | ---: | ---: |',
            ...report.stages.map(s => countsRow(escapeForSummary(actionName(summary, s.stage)), s)),
            ''
          ])
    ]
  },
  outputs: report => ({
    [Outputs.Tests]: report
      ? JSON.stringify({
          ...bareCounts(report),
          stages: Object.fromEntries(report.stages.map(s => [s.stage, bareCounts(s)]))
        })
      : ''
  }),
  warnings: (summary, report) => {
    if (!report || report.failed + report.errors === 0) return []
    const failing = report.stages.filter(s => s.failed + s.errors > 0)
    const [only] = failing
    const allInOne =
      failing.length === 1 && only.failed === report.failed && only.errors === report.errors
    const where = failing.map(s => `${howMany(s)} in ${actionName(summary, s.stage)}`)
    const message = allInOne
      ? `${howMany(report)}, all in ${actionName(summary, only.stage)}.`
      : where.length > 0
        ? `${howMany(report)}: ${where.join('; ')}.`
        : `${howMany(report)}.`
    return [{ title: 'Tests failed', message: sanitizeForLog(message) }]
  }
}
