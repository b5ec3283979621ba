/**
 * The job summary as a reader sees it: the summaries of real runs of dist/index.js against the
 * emulators (and one made in-process from located failures), rendered in headless Chromium the
 * way GitHub renders them (GFM, Mermaid), and checked for one table row per stage, closed
 * <details> blocks holding their excerpts, no markup, link or script from server or log text,
 * links only to the action's own pages and the failures' lines, and charts that Mermaid drew.
 *
 * Runs when it finds Chromium or Chrome; with CODEARTS_BROWSER_TEST=required (set by .ci/run) a
 * missing browser fails it instead of skipping it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startCodeArts, type CodeArtsEmulator } from '../__fixtures__/codearts-server.js'
import {
  DEMO_BUILD_STAGES,
  DEMO_LOGS,
  DEMO_RECORD_ID,
  DEMO_STAGES,
  DEMO_TOKEN
} from '../__fixtures__/demo-logs.js'
import { makeRuntimeToken } from '../__fixtures__/jwt.js'
import { startResultsService, type ResultsService } from '../__fixtures__/results-service.js'
import { expectExitCode, runAction, type StepRun } from '../__fixtures__/run-action.js'
import { scannedStage } from '../__fixtures__/stage-reports.js'
import {
  BROWSER_TEST_VARIABLE,
  browserTestRequired,
  findBrowser,
  ganttTasks,
  openSummaryRenderer,
  summaryProblems,
  type SummaryExpectation,
  type SummaryRenderer
} from '../__fixtures__/summary-browser.js'
import type { LocatedFailure } from '../src/locate/located-failure.js'
import { failureLists } from '../src/report/failures.js'
import { renderSummary } from '../src/report/summary.js'

const browser = findBrowser()
const required = browserTestRequired()
const skipReason = browser.path || required ? undefined : browser.reason
if (skipReason) {
  console.warn(
    `summary-browser.test.ts skipped: ${skipReason}. Set ${BROWSER_TEST_VARIABLE}=required to make it fail instead.`
  )
}
const inBrowser = skipReason ? describe.skip : describe

const record = (n: number): string => `00000000-0000-4000-b000-${String(n).padStart(12, '0')}`
const PASSED = record(1)
const HOSTILE = record(2)
const CUT = record(3)
const PASSING_JOB = 'a1b2c3d4e5f60718293a4b5c6d7e8f90'
const ARTIFACT_LINK = 'https://github.com/octo-org/octo-repo/actions/runs/4242/artifacts/'

const info = (stage: string, text: string): string =>
  `[2026/12/02 14:03:11.204 GMT+08:00] [INFO] [${stage}] : ${text}\n`

// A passing build: three actions, nothing but INFO lines.
const PASSED_LOGS = Object.fromEntries(
  ['stage1', 'stage2', 'stage3'].map(stage => [stage, info(stage, 'done').repeat(3)])
)
const PASSED_STAGES = Object.fromEntries(
  ['Code checkout', 'Build with Maven', 'Unit test'].map((name, i) => [
    `stage${i + 1}`,
    { display_name: name, status: 'success', sequence: i + 1 }
  ])
)

// Names a reader must see as text: markup that would close the table, a script, an image that
// runs code, links in every form GFM knows, a <details> that would swallow the page, a fence.
const HOSTILE_NAMES = [
  '</td></tr></table><script>alert(1)</script>',
  '| x | y |\n| --- | --- |\n| forged | row |',
  '[click](https://evil.example/a) https://evil.example/b www.evil.example c@evil.example',
  '<details open><summary>open me</summary>',
  '```mermaid\ngantt\n  a : 0, 1\n```',
  '<img src=x onerror=alert(2)> <a href="https://evil.example/c">c</a>'
]
const HOSTILE_EXCERPT = [
  '</pre></details><script>alert(3)</script><a href="https://evil.example/d">d</a>',
  '<details open><summary>x</summary>',
  '[link](https://evil.example/e) https://evil.example/f',
  '[2026/12/02 14:04:02.719 GMT+08:00] [ERROR] [build] : </pre><img src=x onerror=alert(4)>',
  ''
].join('\n')
const HOSTILE_STAGES = Object.fromEntries(
  HOSTILE_NAMES.map((name, i) => [
    `k${i}${name}`,
    { execution_stage_name: `stage${i + 1}`, display_name: name, status: 'error', sequence: i }
  ])
)
const HOSTILE_LOGS = Object.fromEntries(
  HOSTILE_NAMES.map((_, i) => [`stage${i + 1}`, HOSTILE_EXCERPT])
)

// Enough first errors, each with 20 lines of context that escape to 5 bytes a character, that
// some must be left out to keep the summary under its size limit.
const CUT_STAGE_COUNT = 20
// Long lines around the error, each a long run of escapes: twenty excerpts overflow the limit.
const CUT_LINES = `${'<&>'.repeat(166)}\n`
const CUT_LOG = `${CUT_LINES.repeat(5)}[ERROR] [build] : the error\n${CUT_LINES.repeat(20)}`
const CUT_LOGS = Object.fromEntries(
  Array.from({ length: CUT_STAGE_COUNT }, (_, i) => [`stage${i + 1}`, CUT_LOG])
)

// Failures whose names, messages and printed places are the hostile names, and files of the
// repository whose names need every kind of encoding in a link.
const COMMIT = '9fceb02d0ae598e95dc970b74767f19372d61af8'
const BLOB = `https://github.com/octo-org/octo-repo/blob/${COMMIT}/`
const FAILURE_ERROR_LINE =
  '[2026/12/02 14:04:02.719 GMT+08:00] [ERROR] [build] : /devcloud/ws/j_1/src/main/java/Order.java:[12,8] cannot find symbol <img src=x onerror=alert(5)>'
const FAILURE_STAGES = ['stage1', 'stage2'].map(stage =>
  scannedStage(stage, {
    displayName: HOSTILE_NAMES[0],
    firstError: { line: 2, context: ['[INFO] compiling', FAILURE_ERROR_LINE] }
  })
)
const ORDER_ERROR: LocatedFailure = {
  kind: 'compile-error',
  stage: 'stage1',
  message: 'cannot find symbol <img src=x onerror=alert(5)>\n  symbol: class X',
  place: { path: '/devcloud/ws/j_1/src/main/java/Order.java', line: 12, column: 8 },
  file: 'src/main/java/Order.java',
  line: 12,
  column: 8
}
const ODD_FILES = ["src/we ird/a,b:c%d(e)#f?[g]'h*é.java", 'src/</td><script>alert(6)<', '<x>.kt']
// Each segment percent-encoded, `!'()*` too.
const ODD_PATHS = [
  'src/we%20ird/a%2Cb%3Ac%25d%28e%29%23f%3F%5Bg%5D%27h%2A%C3%A9.java',
  'src/%3C/td%3E%3Cscript%3Ealert%286%29%3C',
  '%3Cx%3E.kt'
]
const HOSTILE_FAILURES: LocatedFailure[] = [
  ORDER_ERROR,
  ...HOSTILE_NAMES.map((name, i) => ({
    kind: 'failed-test' as const,
    stage: 'stage2',
    test: name,
    message: `${name}\nsecond line`,
    place: { path: name, line: i + 1 },
    ...(i < ODD_FILES.length && { file: ODD_FILES[i], line: i + 1 })
  }))
]
const stageNames = (count: number): string[] =>
  Array.from({ length: count }, (_, i) => `stage${i + 1}`)
const withErrors = (logs: Record<string, string>): number =>
  Object.values(logs).filter(log => log.includes('[ERROR]')).length

let api: CodeArtsEmulator
let results: ResultsService
let renderer: SummaryRenderer

inBrowser('job summaries in headless Chromium', () => {
  beforeAll(async () => {
    if (!browser.path) {
      throw new Error(`${BROWSER_TEST_VARIABLE}=required, but ${browser.reason}`)
    }
    ;[api, results, renderer] = await Promise.all([
      startCodeArts({
        token: DEMO_TOKEN,
        logs: {
          [PASSED]: PASSED_LOGS,
          [DEMO_RECORD_ID]: { ...DEMO_LOGS },
          [HOSTILE]: HOSTILE_LOGS,
          [CUT]: CUT_LOGS
        },
        stages: {
          [PASSED]: PASSED_STAGES,
          [DEMO_RECORD_ID]: { ...DEMO_BUILD_STAGES },
          [HOSTILE]: HOSTILE_STAGES
        },
        jobs: {
          [PASSING_JOB]: {
            nextBuildNumber: 12,
            recordIds: { 12: PASSED },
            statuses: ['running', 'success']
          }
        }
      }),
      startResultsService(),
      openSummaryRenderer(browser.path)
    ])
  })
  afterAll(async () => {
    await Promise.all([api?.close(), results?.close(), renderer?.close()])
  })

  async function run(inputs: Record<string, string>, code = 0): Promise<StepRun> {
    const step = await runAction({
      inputs: { token: DEMO_TOKEN, endpoint: api.url, 'poll-seconds': '1', ...inputs },
      env: {
        ACTIONS_RUNTIME_TOKEN: makeRuntimeToken('run-backend-1', 'job-backend-1'),
        ACTIONS_RESULTS_URL: results.url
      }
    })
    expectExitCode(step, code)
    return step
  }

  async function problemsOf(markdown: string, expected: SummaryExpectation): Promise<string[]> {
    return summaryProblems(await renderer.render(markdown), expected)
  }

  const expectation = (stages: string[], excerpts: number): SummaryExpectation => ({
    stages,
    excerpts,
    linkPrefixes: [ARTIFACT_LINK]
  })

  it('a passing build this step started and followed (wait-minutes left empty)', async () => {
    const step = await run({ 'start-build': 'true', 'job-id': PASSING_JOB })
    expect(step.outputs['build-status']).toBe('success')
    const view = await renderer.render(step.summary)
    expect(summaryProblems(view, expectation(stageNames(3), 0))).toEqual([])
    expect(view.tables[0].rows.map(row => row.slice(1, 3))).toEqual([
      ['Code checkout', '✅ success'],
      ['Build with Maven', '✅ success'],
      ['Unit test', '✅ success']
    ])
    expect(view.links.map(link => link.href)).toEqual([
      expect.stringMatching(new RegExp(`^${ARTIFACT_LINK}\\d+$`))
    ])
  })

  it('a failed build with errors: each first error in a closed block of its own', async () => {
    const step = await run({ 'record-id': DEMO_RECORD_ID })
    const view = await renderer.render(step.summary)
    const stages = DEMO_STAGES.map(s => s.stage)
    expect(summaryProblems(view, expectation(stages, withErrors(DEMO_LOGS)))).toEqual([])
    const failed = DEMO_STAGES.find(s => s.status === 'error')!
    expect(view.tables[0].rows.find(row => row[0] === failed.stage)?.[2]).toBe(
      `❌ ${failed.status}`
    )
    const block = view.details.find(d => d.summary.startsWith(`${failed.stage} (${failed.name})`))
    const firstError = DEMO_LOGS[failed.stage].split('\n').find(line => line.includes('[ERROR]'))
    // A few lines lead up to the first error, and what follows it says what is wrong.
    const excerptLines = block?.excerpt.split('\n') ?? []
    const at = excerptLines.indexOf(firstError ?? '')
    expect(at).toBeGreaterThanOrEqual(1)
    expect(at).toBeLessThanOrEqual(5)
    expect(excerptLines.length).toBeGreaterThan(at + 1)
  })

  it('hostile display names and log lines stay text: no markup, link or script', async () => {
    const step = await run({ 'record-id': HOSTILE })
    const view = await renderer.render(step.summary)
    const stages = stageNames(HOSTILE_NAMES.length)
    expect(summaryProblems(view, expectation(stages, withErrors(HOSTILE_LOGS)))).toEqual([])
    // Each name is shown, on one line, as the text it is.
    expect(view.tables[0].rows.map(row => row[1])).toEqual(
      HOSTILE_NAMES.map(name => name.replace(/\s+/g, ' '))
    )
    expect(view.details[0].excerpt).toBe(HOSTILE_EXCERPT.trimEnd())
  })

  it('a summary cut to fit the size limit: rows for all, excerpts for those that fit', async () => {
    const step = await run({
      'record-id': CUT,
      'task-names': stageNames(CUT_STAGE_COUNT).join(',')
    })
    const leftOut = step.summary.split('excerpt left out: summary size limit').length - 1
    expect(leftOut).toBeGreaterThan(0)
    expect(leftOut).toBeLessThan(CUT_STAGE_COUNT)
    const view = await renderer.render(step.summary)
    expect(
      summaryProblems(view, expectation(stageNames(CUT_STAGE_COUNT), CUT_STAGE_COUNT - leftOut))
    ).toEqual([])
  })

  it('hostile failure text stays text, and each located failure links to its line', async () => {
    const markdown = renderSummary({
      recordId: HOSTILE,
      region: 'cn-north-4',
      logLevel: 'INFO',
      results: FAILURE_STAGES,
      artifactName: 'logs',
      failures: failureLists({ failures: HOSTILE_FAILURES, commit: COMMIT }, FAILURE_STAGES),
      github: { serverUrl: 'https://github.com', repository: 'octo-org/octo-repo' }
    })
    const view = await renderer.render(markdown)
    expect(
      summaryProblems(view, { stages: stageNames(2), excerpts: 2, linkPrefixes: [BLOB] })
    ).toEqual([])
    const shown = (text: string): string => text.replace(/\s+/g, ' ').trim()
    const orderLink = {
      href: `${BLOB}src/main/java/Order.java#L12`,
      text: 'src/main/java/Order.java:12'
    }
    // The compile error, the tests in located files, and stage1's excerpt, whose error line is
    // that compile error (stage2's same line is none of stage2's).
    expect(view.links).toEqual([
      orderLink,
      ...ODD_FILES.map((file, i) => ({
        href: `${BLOB}${ODD_PATHS[i]}#L${i + 1}`,
        text: `${file}:${i + 1}`
      })),
      orderLink
    ])
    expect(view.details.map(d => d.summary)).toEqual([
      `stage1 (${HOSTILE_NAMES[0]}): first error, line 2 · ${orderLink.text}`,
      `stage2 (${HOSTILE_NAMES[0]}): first error, line 2`
    ])
    const tests = view.tables.find(table => table.header[0] === 'Test')
    expect(tests?.header).toEqual(['Test', 'Message', 'Stage'])
    // The name, then on its own line (the action's one <br>, which text content drops) where it is.
    expect(tests?.rows).toEqual(
      HOSTILE_NAMES.map((name, i) => [
        `${shown(name)}${i < ODD_FILES.length ? ODD_FILES[i] : shown(name)}:${i + 1}`,
        shown(name.split('\n')[0]),
        `stage2 (${HOSTILE_NAMES[0]})`
      ])
    )
    expect(view.headings).toEqual([
      'CodeArts Build logs',
      'Compile errors',
      'Failed tests',
      'First errors'
    ])
  })

  describe('Mermaid charts, for each ```mermaid block', () => {
    const table = [
      '## CodeArts Build logs',
      '',
      '| Stage | Action | Result |',
      '| --- | --- | --- |',
      '| stage1 | Code checkout | ✅ success |',
      '| stage2 | Build with Maven | ❌ **error** |',
      '| stage3 | Unit test | ✅ success |',
      ''
    ]
    const gantt = [
      '```mermaid',
      'gantt',
      '  dateFormat x',
      '  axisFormat %M:%S',
      '  section Build 55',
      '  stage1 Code checkout : done, s1, 0, 4000',
      '  stage2 Build with Maven : crit, s2, 4000, 61000',
      '  stage3 Unit test : done, s3, 61000, 70000',
      '```',
      ''
    ]

    it('a gantt chart is drawn with one bar per action', async () => {
      const markdown = [...table, ...gantt].join('\n')
      const view = await renderer.render(markdown)
      expect(summaryProblems(view, expectation(stageNames(3), 0))).toEqual([])
      expect(view.charts).toHaveLength(1)
      expect(view.charts[0].bars).toBe(3)
      expect(ganttTasks(view.charts[0].source)).toBe(3)
    })

    it('a chart Mermaid cannot parse is an error box, and a problem', async () => {
      const broken = gantt.map(line => line.replace('dateFormat x', 'dateFormat x (('))
      broken.splice(5, 0, '  stage1 : : : nonsense')
      const problems = await problemsOf(
        [...table, ...broken].join('\n'),
        expectation(stageNames(3), 0)
      )
      expect(problems).toEqual([expect.stringMatching(/^Mermaid chart 1 failed to draw: .*error/i)])
    })
  })

  describe('the checks catch what a reader would see wrong', () => {
    const good = [
      '| Stage | Errors |',
      '| --- | ---: |',
      '| stage1 | 1 |',
      '| stage2 | 1 |',
      '',
      '<details><summary>stage1: first error, line 2</summary>',
      '',
      '<pre>[ERROR] one</pre>',
      '',
      '</details>',
      '',
      '<details><summary>stage2: first error, line 2</summary>',
      '',
      '<pre>[ERROR] two</pre>',
      '',
      '</details>',
      ''
    ]
    const expected = expectation(stageNames(2), 2)

    it('passes the summary as it should be', async () => {
      expect(await problemsOf(good.join('\n'), expected)).toEqual([])
    })

    it('a table row split by a line break', async () => {
      const split = good.map(line => line.replace('| stage1 | 1 |', '| stage1\n| 1 |'))
      expect(await problemsOf(split.join('\n'), expected)).toContain(
        'stage rows are ["stage1","1","stage2"], expected ["stage1","stage2"]'
      )
    })

    it('a <details> block left open', async () => {
      const open = [...good]
      open.splice(open.indexOf('</details>'), 1)
      expect(await problemsOf(open.join('\n'), expected)).toContain(
        '<details> 1 (stage1: first error, line 2) holds SUMMARY, PRE, DETAILS and 1 more <details>, not a summary and one excerpt: it was left open'
      )
    })
  })
})
