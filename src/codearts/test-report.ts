import { objectOf } from '../http/json-object.js'
import { countOf } from './answer-fields.js'
import type { JobBuild } from './job-build.js'
import type { CallOptions, CodeArtsClient } from './client.js'
import { TextLimit, serverText } from '../server-text.js'

/** Test counts as the report summary gives them: passed is `success`, failed is `failures`. */
export interface TestCounts {
  total: number
  passed: number
  failed: number
  errors: number
  others: number
}

/** The unit test results of a build: totals, then one entry per build action that ran tests. */
export interface TestReport extends TestCounts {
  stages: (TestCounts & { stage: string })[]
}

/** More actions than a build has; a longer list is cut, so a hostile answer stays small. */
const MAX_STAGES = 100

/**
 * The counts of one summary object, or undefined when it has none. A missing part counts 0; a
 * missing total, or one below the sum of the parts, is that sum.
 */
function countsOf(value: unknown): TestCounts | undefined {
  const s = objectOf(value)
  if (!s) return undefined
  const parts = [s.success, s.failures, s.errors, s.others].map(countOf)
  const total = countOf(s.total)
  if (total === undefined && parts.every(n => n === undefined)) return undefined
  const [passed = 0, failed = 0, errors = 0, others = 0] = parts
  // A total below the sum of its parts is wrong; the parts are what the summary shows.
  const parted = passed + failed + errors + others
  return { total: Math.max(total ?? 0, parted), passed, failed, errors, others }
}

/**
 * Reads the `result` of `GET /v1/report/{job_id}/summary?build_no=N`: `summary` for the totals
 * (else the sum of the stages) and one entry per `sub_summarys` element with a `stage_name` and a
 * non-zero total; a stage named twice keeps its first entry. Undefined when there is no report:
 * an empty or unusable result, or totals of 0.
 */
export function parseTestReport(result: unknown): TestReport | undefined {
  const answer = objectOf(result)
  if (!answer) return undefined
  const stages: TestReport['stages'] = []
  const subSummaries = Array.isArray(answer.sub_summarys) ? answer.sub_summarys : []
  for (const entry of subSummaries) {
    if (stages.length >= MAX_STAGES) break
    const stage = serverText(objectOf(entry)?.stage_name, TextLimit.Name)
    const counts = countsOf(entry)
    if (stage === undefined || !counts || counts.total === 0) continue
    if (stages.some(s => s.stage === stage)) continue
    stages.push({ stage, ...counts })
  }
  const totals = countsOf(answer.summary) ?? sum(stages)
  return totals.total > 0 ? { ...totals, stages } : undefined
}

function sum(stages: readonly TestCounts[]): TestCounts {
  const totals: TestCounts = { total: 0, passed: 0, failed: 0, errors: 0, others: 0 }
  for (const s of stages) {
    for (const key of Object.keys(totals) as (keyof TestCounts)[]) totals[key] += s[key]
  }
  return totals
}

/** The unit test results of a job's build (`GET /v1/report/{job_id}/summary?build_no=N`). */
export function readTestReport(
  client: CodeArtsClient,
  build: JobBuild,
  options: CallOptions
): Promise<TestReport | undefined> {
  return client.call(
    {
      pathname: `/v1/report/${encodeURIComponent(build.jobId)}/summary`,
      query: { build_no: String(build.buildNumber) },
      read: parseTestReport
    },
    options
  )
}
