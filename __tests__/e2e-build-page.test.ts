import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  startCodeArts,
  type CannedResponse,
  type CodeArtsEmulator
} from '../__fixtures__/codearts-server.js'
import { mermaidParse } from '../__fixtures__/mermaid.js'
import { expectExitCode, runAction, secretLeaks, type StepRun } from '../__fixtures__/run-action.js'
import { SAMPLE_LOGS, TOKEN, sampleCompileError } from '../__fixtures__/sample.js'

// The build's page: the build line, the timeline, times in the stage table, Tests and Produced,
// their outputs and warning, and the answers in the debug log; all from the bundle.

const record = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`
const job = (n: number): string => `${String(n).padStart(2, '0')}${'d'.repeat(30)}`
// 2024-06-26 16:25:09 at UTC+8, the zone CodeArts means.
const T0 = Date.UTC(2024, 5, 26, 8, 25, 9)
const SHA = '4f1c2a9e8b7d6c5b4a39281706f5e4d3c2b1a098'
// Stand for secrets: a parameter value sent in the start, and one only the record answer holds.
const GIVEN_VALUE = 'given-value-do-not-print-77'
const RECORD_VALUE = 'record-only-secret-do-not-print-88'
const REPORT = (job: string): string => `/v1/report/${job}/summary`
const OUTPUTS = (job: string, n: number): string => `/v3/jobs/${job}/${n}/output-info`

/** A stage entry of full-stages with the given times. */
function stage(n: number, name: string, status: string, times: object): object {
  return {
    execution_stage_name: `stage${n}`,
    display_name: name,
    status,
    sequence: n,
    ...times
  }
}

/** The stages of the acceptance build: Date.toString times, ISO times and epoch ms. */
const TIMED_STAGES = {
  a: stage(1, 'Code checkout', 'success', {
    start_time: 'Wed Jun 26 16:25:09 CST 2024',
    finish_time: 'Wed Jun 26 16:25:13 CST 2024',
    build_duration: 4000
  }),
  b: stage(2, 'Build with Maven', 'error', {
    start_time: '2024-06-26T08:25:13Z',
    finish_time: '2024-06-26T08:27:18Z'
  }),
  c: stage(3, 'Upload to release repo', 'success', {
    start_time: T0 + 125_000,
    finish_time: String(T0 + 131_000),
    duration: 6000
  })
}

const TEST_REPORT = {
  summary: { total: 412, success: 405, failures: 2, errors: 1, others: 4, stage_name: '' },
  sub_summarys: [
    { stage_name: 'stage2', total: 400, success: 394, failures: 2, errors: 1, others: 3 },
    { stage_name: 'stage3', total: 12, success: 11, failures: 0, errors: 0, others: 1 }
  ]
}

const BUILD_OUTPUTS = {
  package_info: {
    name: 'order-service',
    version: '1.4.2',
    package_type: 'jar',
    uri: 'releases/order-service/1.4.2/order-service.jar'
  },
  package_infos: {
    // The same package again: listed once.
    p1: {
      name: 'order-service',
      version: '1.4.2',
      package_type: 'jar',
      uri: 'releases/order-service/1.4.2/order-service.jar'
    },
    p2: { name: 'order-docs', version: '1.4.2', package_type: 'zip', uri: 'releases/docs.zip' }
  },
  image_infos: {
    i1: { name: 'swr.example/team/order', version: '1.4.2', type: 'docker', uri: 'swr.example' }
  }
}

const RECORD = {
  create_time: '2024-06-26 16:25:05',
  start_time: 'Wed Jun 26 16:25:09 CST 2024',
  finish_time: 'Wed Jun 26 16:27:24 CST 2024',
  pending_duration: 4000,
  build_duration: 135_000,
  duration: 139_000,
  trigger_name: 'Manual',
  branch: 'main',
  commit: SHA,
  commit_message: 'Fix the order service\n\nThe long story of it.',
  parameters: [{ name: 'DEPLOY_KEY', value: RECORD_VALUE, secret: true, type: 'string' }]
}

let api: CodeArtsEmulator

beforeAll(async () => {
  const withStages = (ids: number[], stages: Record<string, object>) =>
    Object.fromEntries(ids.map(n => [record(n), stages]))
  api = await startCodeArts({
    token: TOKEN,
    logs: Object.fromEntries(
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 20, 21, 22, 23, 24].map(n => [
        record(n),
        { ...SAMPLE_LOGS, stage4: 'fine\n', stage5: 'fine\n' }
      ])
    ),
    stages: {
      ...withStages([1, 2, 3, 5, 9], TIMED_STAGES),
      [record(4)]: HOSTILE_STAGES,
      [record(6)]: {
        a: stage(1, 'Code checkout', 'success', { start_time: 'yesterday', duration: 'long' }),
        b: stage(2, 'Build', 'error', { start_time: '31/06/2024', finish_time: {} })
      },
      [record(7)]: {
        // Durations only (no start time can be read): bars one after another.
        a: stage(1, 'Code checkout', 'success', { duration: 4000 }),
        b: stage(2, 'Build', 'error', { start_time: 'soon', build_duration: '61500' })
      },
      ...Object.fromEntries(
        TIME_FORMS.map(([, start, finish], i) => [
          record(20 + i),
          {
            a: stage(1, 'Checkout', 'success', { start_time: start, finish_time: finish }),
            b: stage(2, 'Build', 'success', { start_time: finish, build_duration: 60_000 })
          }
        ])
      )
    },
    records: {
      [`${job(2)}/3`]: { ...RECORD, build_record_id: record(2), build_no: 3, status: 'error' },
      [`${job(3)}/4`]: { ...RECORD, build_record_id: record(3), build_no: 4, status: 'success' },
      [`${job(4)}/5`]: { build_record_id: record(4), build_no: 5 },
      [`${job(5)}/6`]: { build_record_id: record(5), build_no: 6 },
      ...Object.fromEntries(
        TIME_FORMS.map((_, i) => [`${job(20)}/${i + 1}`, { build_record_id: record(20 + i) }])
      )
    },
    info: { [record(9)]: { ...RECORD, status: 'success' } },
    testReports: {
      [`${job(1)}/55`]: TEST_REPORT,
      [`${job(2)}/3`]: TEST_REPORT
    },
    buildOutputs: {
      [`${job(1)}/55`]: BUILD_OUTPUTS,
      [`${job(2)}/3`]: BUILD_OUTPUTS
    },
    jobs: {
      [job(1)]: {
        nextBuildNumber: 55,
        recordIds: { 55: record(1) },
        statuses: ['running', 'error'],
        record: RECORD
      }
    }
  })
})
afterAll(async () => {
  await api.close()
})

function inputs(extra: Record<string, string>): Record<string, string> {
  return { token: TOKEN, endpoint: api.url, 'poll-seconds': '1', 'wait-minutes': '0', ...extra }
}

/** The requests one run made, as `METHOD path`. */
async function runCounted(
  extra: Record<string, string>,
  env?: Record<string, string>
): Promise<{ run: StepRun; asked: string[]; since: number }> {
  const since = api.requests.length
  const run = await runAction({ inputs: inputs(extra), env })
  return { run, since, asked: api.requests.slice(since).map(r => `${r.method} ${r.path}`) }
}

/** The charts of a summary: the text of each ```mermaid fence. */
function charts(summary: string): string[] {
  return [...summary.matchAll(/^```mermaid\n([\s\S]*?)\n```$/gm)].map(m => m[1])
}

/** An instant as the chart writes it (UTC+8 wall clock), read back in UTC. */
const asWritten = (epochMs: number): number => epochMs + 8 * 3_600_000

/** Each time form of section 4d, with the start and finish of 16:25:09 and 16:25:13 at UTC+8. */
const TIME_FORMS: [string, unknown, unknown][] = [
  ['epoch ms as a number', T0, T0 + 4000],
  ['epoch ms as a string', String(T0), String(T0 + 4000)],
  ['ISO 8601 with a zone', '2024-06-26T16:25:09+08:00', '2024-06-26T08:25:13Z'],
  ['YYYY-MM-DD HH:mm:ss (UTC+8)', '2024-06-26 16:25:09', '2024-06-26 16:25:13'],
  ["Java's Date.toString()", 'Wed Jun 26 16:25:09 CST 2024', 'Wed Jun 26 16:25:13 CST 2024']
]

const HOSTILE_NAMES = [
  'a:b;c#d %%{init: {"theme":"dark"}}%%',
  'click t1 href "javascript:alert(1)"',
  'Build\nclick t2 call alert(1)\n```\n## Pwned',
  '<img src=x onerror=alert(1)> `code` [link](https://evil.example)',
  `${'W'.repeat(10 * 1024)}`
]
const HOSTILE_STAGES = Object.fromEntries(
  HOSTILE_NAMES.map((name, i) => [
    `k${i}`,
    stage(i + 1, name, i === 1 ? 'error' : 'success', {
      start_time: T0 + i * 1000,
      finish_time: T0 + (i + 1) * 1000
    })
  ])
)

describe('a started build whose tests failed', () => {
  let run: StepRun
  let asked: string[]
  let since: number
  beforeAll(async () => {
    ;({ run, asked, since } = await runCounted({
      'job-id': job(1),
      'start-build': 'true',
      parameters: `DEPLOY_KEY=${GIVEN_VALUE}`,
      'wait-minutes': '1',
      'follow-log': 'false',
      concurrency: '1'
    }))
  })

  it('shows the build line, the stage table with times, Tests, Produced and the timeline', () => {
    expectExitCode(run, 1)
    expect(run.summary).toContain(
      '\nBuild 55 · ❌ **error** · started 2024-06-26 16:25:09 UTC+8 · queued 4.0 s · ran 2 min 15 s · trigger Manual · branch main · commit 4f1c2a9 “Fix the order service”\n'
    )
    expect(run.summary).toContain(
      '| Stage | Action | Result | Time | Log | Size | Lines | Errors | Warnings |'
    )
    expect(run.summary).toContain('| stage1 | Code checkout | ✅ success | 4.0 s | `stage1.log` |')
    expect(run.summary).toContain(
      '| stage2 | Build with Maven | ❌ **error** | 2 min 05 s | `stage2.log` |'
    )
    expect(run.summary).toContain(
      '| stage3 | Upload to release repo | ✅ success | 6.0 s | `stage3.log` |'
    )
    expect(run.summary).toContain(
      [
        '### Tests',
        '',
        '❌ **2 failed and 1 errored of 412 tests** · 405 passed · 2 failed · 1 errors · 4 others · 412 in all',
        '',
        '| Action | Total | Passed | Failed | Errors | Others |',
        '| --- | ---: | ---: | ---: | ---: | ---: |',
        '| Build with Maven &#40;stage2&#41; | 400 | 394 | ❌ **2** | ❌ **1** | 3 |',
        '| Upload to release repo &#40;stage3&#41; | 12 | 11 | 0 | 0 | 1 |'
      ].join('\n')
    )
    expect(run.summary).toContain(
      [
        '### Produced',
        '',
        '| Kind | Name | Version | Type | Path |',
        '| --- | --- | --- | --- | --- |',
        '| package | order-service | 1.4.2 | jar | releases/order-service/1.4.2/order-service.jar |',
        '| package | order-docs | 1.4.2 | zip | releases/docs.zip |',
        '| image | swr.example/team/order | 1.4.2 | docker | swr.example |'
      ].join('\n')
    )
    const [chart] = charts(run.summary)
    expect(chart).toContain('times in UTC+8')
    const [report] = mermaidParse([chart])
    expect(report.ok).toBe(true)
    expect(report.tasks?.map(t => [t.task, t.crit, t.startMs, t.endMs])).toEqual([
      ['\u200bCode checkout', false, asWritten(T0), asWritten(T0 + 4000)],
      ['\u200bBuild with Maven', true, asWritten(T0 + 4000), asWritten(T0 + 129_000)],
      ['\u200bUpload to release repo', false, asWritten(T0 + 125_000), asWritten(T0 + 131_000)]
    ])
  })

  it('sets tests and packages, warns of the failed tests after the errors, keeps the verdict', () => {
    expect(JSON.parse(run.outputs.tests)).toEqual({
      total: 412,
      passed: 405,
      failed: 2,
      errors: 1,
      others: 4,
      stages: {
        stage2: { total: 400, passed: 394, failed: 2, errors: 1, others: 3 },
        stage3: { total: 12, passed: 11, failed: 0, errors: 0, others: 1 }
      }
    })
    expect(JSON.parse(run.outputs.packages)).toEqual([
      {
        name: 'order-service',
        version: '1.4.2',
        type: 'jar',
        uri: 'releases/order-service/1.4.2/order-service.jar',
        kind: 'package'
      },
      {
        name: 'order-docs',
        version: '1.4.2',
        type: 'zip',
        uri: 'releases/docs.zip',
        kind: 'package'
      },
      {
        name: 'swr.example/team/order',
        version: '1.4.2',
        type: 'docker',
        uri: 'swr.example',
        kind: 'image'
      }
    ])
    // The log's one [ERROR] line is a recognised compile error: an error, and no build error
    // warning after Tests failed.
    const titles = run.annotations.map(a => `${a.level} ${a.title}`)
    expect(titles).toEqual([
      'warning Artifact upload skipped',
      'error Build failed',
      'error Compile error in stage2 (Build with Maven)',
      'warning Tests failed'
    ])
    expect(run.annotations[2]).toEqual(sampleCompileError('stage2 (Build with Maven)'))
    expect(run.annotations[3].message).toBe(
      '2 failed and 1 errored of 412 tests, all in Build with Maven (stage2).'
    )
  })

  it('asks for the report and outputs once, after the wait, first in the download pool', () => {
    const paths = api.requests.slice(since).map(r => r.path)
    expect(asked.filter(a => a === `GET ${REPORT(job(1))}`)).toHaveLength(1)
    expect(asked.filter(a => a === `GET ${OUTPUTS(job(1), 55)}`)).toHaveLength(1)
    const lastStatus = paths.lastIndexOf(`/v1/record/${record(1)}/info`)
    const report = paths.indexOf(REPORT(job(1)))
    const outputs = paths.indexOf(OUTPUTS(job(1), 55))
    const firstLog = paths.findIndex(p => p.endsWith('/task-log'))
    // With concurrency 1 the pool runs one request at a time: the summary's, then the logs.
    expect([lastStatus < report, report < outputs, outputs < firstLog]).toEqual([true, true, true])
    expect(api.requests[since + report].query).toEqual({ build_no: '55' })
  })

  it('never shows a parameter value, given or read from the record', () => {
    expect(secretLeaks(run, [GIVEN_VALUE])).toEqual([])
    for (const text of [run.stdout, run.stderr, run.summary, JSON.stringify(run.outputs)]) {
      expect(text).not.toContain(RECORD_VALUE)
    }
  })
})

describe('the timeline', () => {
  it('reads each time form of the API notes, in UTC+8 where no zone is given', async () => {
    const found: string[] = []
    for (const i of TIME_FORMS.keys()) {
      const { run } = await runCounted({ 'job-id': job(20), 'build-number': String(i + 1) })
      expectExitCode(run, 0)
      expect(run.summary).toContain('| stage1 | Checkout | ✅ success | 4.0 s |')
      found.push(...charts(run.summary))
    }
    expect(found).toHaveLength(TIME_FORMS.length)
    // One child process for every chart: Mermaid takes a second to load.
    const reports = mermaidParse(found)
    const bars = [
      [asWritten(T0), asWritten(T0 + 4000)],
      [asWritten(T0 + 4000), asWritten(T0 + 64_000)]
    ]
    expect(reports.map(r => r.tasks?.map(t => [t.startMs, t.endMs]))).toEqual(
      TIME_FORMS.map(() => bars)
    )
  })

  it('lays bars end to end by duration when no start can be read', async () => {
    const { run } = await runCounted({ 'record-id': record(7) })
    expectExitCode(run, 0)
    const [chart] = charts(run.summary)
    expect(chart).toContain('one after another by duration')
    const [report] = mermaidParse([chart])
    const [a, b] = report.tasks ?? []
    expect([a.endMs - a.startMs, b.startMs - a.endMs, b.endMs - b.startMs]).toEqual([
      4000, 0, 61_500
    ])
  })

  it('is left out, and nothing said, when neither times nor durations can be read', async () => {
    const { run } = await runCounted({ 'record-id': record(6) })
    expectExitCode(run, 0)
    expect(run.summary).not.toMatch(/timeline|mermaid|gantt/i)
    expect(run.summary).toContain('| stage1 | Code checkout | ✅ success |  | `stage1.log` |')
    expect(run.annotations.map(a => a.title)).toEqual([
      'Artifact upload skipped',
      'Compile error in stage2 (Build)'
    ])
    expect(run.annotations[1]).toEqual(sampleCompileError('stage2 (Build)'))
  })

  it('holds hostile display names as text: Mermaid accepts it, with no directive, link or callback', async () => {
    const { run } = await runCounted({ 'job-id': job(4), 'build-number': '5' })
    expectExitCode(run, 0)
    const found = charts(run.summary)
    expect(found).toHaveLength(1)
    const [report] = mermaidParse(found)
    expect(report).toMatchObject({ ok: true, links: 0, asked: [] })
    expect(report.config).toEqual({})
    expect(report.tasks).toHaveLength(HOSTILE_NAMES.length)
    // Every line after the header is a task: none starts with a keyword or a comment.
    expect(found[0].split('\n').slice(5)).toEqual(
      HOSTILE_NAMES.map(() => expect.stringMatching(/^ {4}\u200b[^:%<>`]*:(done|crit), t\d, /))
    )
    // The fence holds: the summary has no heading the names could have made.
    expect(run.summary).not.toContain('## Pwned')
    expect(run.summary).not.toContain('<img')
  })
})

describe('the summary reads it cannot rely on', () => {
  const failures: [string, CannedResponse][] = [
    ['404', { status: 404, body: { error_code: 'CB.00060214', error_msg: 'URL not found' } }],
    ['403', { status: 403, body: { error_code: 'CB.403', error_msg: 'no permission' } }],
    [
      'status: fail',
      { status: 200, body: { status: 'fail', error: { code: 'CB.1', msg: 'no report' } } }
    ],
    ['HTML', { status: 200, body: '<html><body>Gateway says hi</body></html>' }],
    ['a 5 MiB body', { status: 200, body: `{"result": "${'x'.repeat(5 * 1024 * 1024)}"}` }]
  ]

  it.each(failures)('cost a debug line each when they answer %s', async (_what, answer) => {
    api.script(REPORT(job(3)), [answer])
    api.script(OUTPUTS(job(3), 4), [answer])
    const { run, asked } = await runCounted({ 'job-id': job(3), 'build-number': '4' })
    expectExitCode(run, 0)
    expect(asked.filter(a => a.endsWith('/summary') || a.endsWith('/output-info'))).toHaveLength(2)
    // The annotations of any run of this build (no upload here), and nothing more.
    expect(run.annotations.map(a => a.title)).toEqual([
      'Artifact upload skipped',
      'Compile error in stage2 (Build with Maven)'
    ])
    expect(run.annotations[1]).toEqual(sampleCompileError('stage2 (Build with Maven)'))
    // The two requests run at once: either may fail first.
    const debug = run.stdout
      .split('\n')
      .filter(line => line.startsWith('::debug::summary: '))
      .sort((a, b) => b.localeCompare(a))
    expect(debug).toEqual([
      expect.stringMatching(/^::debug::summary: the Tests section's request failed: /),
      expect.stringMatching(/^::debug::summary: the Produced section's request failed: /)
    ])
    expect(run.stdout).not.toMatch(/^(?!::debug::).*(output-info|\/summary|Gateway says)/m)
    expect(run.outputs).toMatchObject({ tests: '', packages: '[]', 'failed-stages': '[]' })
    expect(JSON.parse(run.outputs.files)).toHaveLength(3)
    expect(run.summary).toContain('\nBuild 4 · ✅ success · started 2024-06-26 16:25:09 UTC+8')
    expect(run.summary).toContain('| stage2 | Build with Maven | ❌ **error** | 2 min 05 s |')
    expect(run.summary).not.toMatch(/### Tests|### Produced/)
  })

  it('are not made with record-id alone: times come from the stage list and record info', async () => {
    const { run, asked } = await runCounted({ 'record-id': record(9), 'wait-minutes': '1' })
    expectExitCode(run, 0)
    expect(asked.filter(a => /\/summary$|\/output-info$/.test(a))).toEqual([])
    expect(run.outputs).toMatchObject({ tests: '', packages: '[]' })
    expect(run.summary).toContain(
      '\nBuild · ✅ success · started 2024-06-26 16:25:09 UTC+8 · queued 4.0 s'
    )
    expect(charts(run.summary)).toHaveLength(1)
  })

  it('are not made with summary: false', async () => {
    const { run, asked } = await runCounted({
      'job-id': job(2),
      'build-number': '3',
      summary: 'false'
    })
    expectExitCode(run, 0)
    expect(asked.filter(a => /\/summary$|\/output-info$/.test(a))).toEqual([])
    expect(run.outputs).toMatchObject({ tests: '', packages: '[]' })
    expect(run.annotations.map(a => a.title)).not.toContain('Tests failed')
  })
})

describe('answers in the debug log', () => {
  it('logs each JSON answer when the runner debug logs, redacted, one line each', async () => {
    const { run, asked } = await runCounted(
      { 'job-id': job(2), 'build-number': '3' },
      { RUNNER_DEBUG: '1' }
    )
    expectExitCode(run, 0)
    const lines = run.stdout.split('\n').filter(line => line.startsWith('::debug::answer '))
    const json = asked.filter(a => !a.endsWith('/task-log'))
    expect(lines.map(line => /^::debug::answer (GET \S+):/.exec(line)?.[1]).sort()).toEqual(
      json.sort()
    )
    const recordInfo = lines.find(line => line.includes('/record-info'))
    expect(recordInfo).toContain('"parameters":[{"name":"DEPLOY_KEY","value":"***"')
    expect(lines.find(line => line.includes('/output-info'))).toContain('order-service')
    expect(run.stdout).not.toContain(RECORD_VALUE)
    expect(secretLeaks(run, [TOKEN])).toEqual([])
  })

  it('logs no answer when it does not', async () => {
    const { run } = await runCounted({ 'job-id': job(2), 'build-number': '3' })
    expectExitCode(run, 0)
    expect(run.stdout).not.toContain('::debug::answer ')
  })
})
