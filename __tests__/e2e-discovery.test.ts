import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs/promises'
import * as path from 'node:path'
import {
  startCodeArts,
  type CannedResponse,
  type CodeArtsEmulator,
  type ReceivedRequest
} from '../__fixtures__/codearts-server.js'
import { makeRuntimeToken } from '../__fixtures__/jwt.js'
import { startResultsService, type ResultsService } from '../__fixtures__/results-service.js'
import { expectExitCode, runAction } from '../__fixtures__/run-action.js'
import { SAMPLE_LOGS, TOKEN, sampleCompileError } from '../__fixtures__/sample.js'
import { readZip } from '../__fixtures__/zip.js'

/** A record ID of the documented shape, one per scenario so scripts never leak between tests. */
const record = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`
const BUILD = record(1)
const ALL_GREEN = record(2)
const NO_WHOLE_LOG = record(3)
const JOB = '0123456789abcdefghijklmnopqrstuv'
const WHOLE_LOG = [
  '[2025/06/26 14:23:30.000 GMT+08:00] [INFO] [build] : build started',
  '[2025/06/26 14:24:02.719 GMT+08:00] [ERROR] [build] : stage Build with Maven failed',
  ''
].join('\n')

// The stage list as the API may send it: keys that are not stageN, sequence from 0, one entry
// named only by its key, one with nothing to name it by.
const STAGES = {
  '8f1c0a': {
    id: '8f1c0a',
    execution_stage_name: 'stage2',
    display_name: 'Build with Maven',
    status: 'ERROR',
    sequence: 1
  },
  stage3: { display_name: 'Upload to release repo', status: 'success', sequence: 2 },
  b71d9e: { display_name: 'Code checkout', status: 'success', sequence: 0 },
  ffffff: { display_name: 'Notify', status: '' }
}

let api: CodeArtsEmulator
let artifacts: ResultsService

const json = (
  status: number,
  body: object,
  headers: Record<string, string> = {}
): CannedResponse => ({
  status,
  body,
  headers: { 'Content-Type': 'application/json', ...headers }
})
const fail = (error: unknown): CannedResponse => json(200, { status: 'fail', error, result: null })

beforeAll(async () => {
  const greens = Object.fromEntries(
    Object.entries(STAGES).map(([key, stage]) => [key, { ...stage, status: 'success' }])
  )
  api = await startCodeArts({
    token: TOKEN,
    logs: { [BUILD]: SAMPLE_LOGS, [ALL_GREEN]: SAMPLE_LOGS, [NO_WHOLE_LOG]: SAMPLE_LOGS },
    stages: {
      [BUILD]: STAGES,
      [ALL_GREEN]: greens,
      [NO_WHOLE_LOG]: STAGES,
      [record(10)]: {},
      [record(11)]: STAGES,
      [record(12)]: STAGES
    },
    wholeLogs: { [BUILD]: WHOLE_LOG },
    records: {
      [`${JOB}/7`]: { id: 'run-7', build_record_id: BUILD, build_no: 7, status: 'error' },
      [`${JOB}/8`]: { id: ALL_GREEN, build_record_id: '', build_no: 8 },
      [`${JOB}/9`]: { id: 9, build_no: 9 }
    }
  })
  artifacts = await startResultsService()
})
afterAll(async () => {
  await api.close()
  await artifacts.close()
})

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return { 'record-id': BUILD, token: TOKEN, endpoint: api.url, ...extra }
}

function logRequests(since: number): ReceivedRequest[] {
  return api.requests.slice(since).filter(r => r.path.startsWith('/v1/log/'))
}

function logDir(runnerTemp: string, recordId = BUILD): string {
  return path.join(runnerTemp, 'codearts-build-logs', recordId)
}

describe('every stage when task-names is omitted', () => {
  it('lists the stages, fetches each in sequence order and reports them as the console does', async () => {
    const since = api.requests.length
    const run = await runAction({ inputs: inputs(), env: { RUNNER_DEBUG: '1' } })
    expectExitCode(run, 0)
    const [listing] = api.requests.slice(since)
    expect(listing.path).toBe(`/v1/record/${BUILD}/full-stages`)
    expect(listing.query).toEqual({ cascade: 'false' })
    expect(listing.headers['x-auth-token']).toBe(TOKEN)
    expect(
      logRequests(since)
        .map(r => r.query.task_name)
        .sort()
    ).toEqual(['stage1', 'stage2', 'stage3'])

    const dir = logDir(run.runnerTemp)
    expect(run.outputs['record-id']).toBe(BUILD)
    expect(run.outputs['build-status']).toBe('')
    expect(JSON.parse(run.outputs.files)).toEqual(
      ['stage1', 'stage2', 'stage3'].map(s => path.join(dir, `${s}.log`))
    )
    for (const stage of ['stage1', 'stage2', 'stage3']) {
      expect(await fs.readFile(path.join(dir, `${stage}.log`), 'utf8')).toBe(SAMPLE_LOGS[stage])
    }
    const stages = JSON.parse(run.outputs.stages)
    expect(Object.keys(stages)).toEqual(['stage1', 'stage2', 'stage3'])
    expect(stages.stage1).toMatchObject({ name: 'Code checkout', result: 'success' })
    expect(stages.stage2).toMatchObject({
      status: 'downloaded',
      name: 'Build with Maven',
      result: 'error'
    })
    expect(stages.stage3).toMatchObject({ name: 'Upload to release repo', result: 'success' })

    expect(run.stdout).toContain('::debug::stage list: skipped an entry: entry "ffffff"')
    expect(run.summary).toContain('**1 failed build action**')
    expect(run.summary).toContain('| stage1 | Code checkout | ✅ success |  | `stage1.log` |')
    expect(run.summary).toContain('| stage2 | Build with Maven | ❌ **error** |  | `stage2.log` |')
    expect(run.summary).toContain(
      '<details><summary>stage2 (Build with Maven): first error, line 2</summary>'
    )
    expect(run.stdout).toMatch(/::group::stage2 \(Build with Maven\) \[error\]: 257 B, 3 lines/)
    // The log's one [ERROR] line is a recognised compile error: an error, and no warning.
    expect(run.annotations).toEqual([
      expect.objectContaining({ level: 'warning', title: 'Artifact upload skipped' }),
      sampleCompileError('stage2 (Build with Maven)')
    ])
  })

  it('fetches only the failed stages with task-names: failed', async () => {
    const since = api.requests.length
    const run = await runAction({ inputs: inputs({ 'task-names': 'Failed' }) })
    expectExitCode(run, 0)
    expect(logRequests(since).map(r => r.query.task_name)).toEqual(['stage2'])
    expect(Object.keys(JSON.parse(run.outputs.stages))).toEqual(['stage2'])
  })

  it('downloads and uploads nothing when no stage failed, and says so', async () => {
    const since = api.requests.length
    const run = await runAction({
      inputs: inputs({ 'record-id': ALL_GREEN, 'task-names': 'failed', 'whole-log': 'true' }),
      env: {
        ACTIONS_RUNTIME_TOKEN: makeRuntimeToken('run-1', 'job-1'),
        ACTIONS_RESULTS_URL: artifacts.url
      }
    })
    expectExitCode(run, 0)
    expect(logRequests(since)).toEqual([])
    expect(run.annotations).toEqual([
      {
        level: 'notice',
        title: 'No failed build actions',
        message: `No build action of record ${ALL_GREEN} failed, so no log was downloaded.`
      }
    ])
    expect(run.outputs).toMatchObject({
      'record-id': ALL_GREEN,
      files: '[]',
      stages: '{}',
      'failed-stages': '[]',
      'artifact-id': ''
    })
    expect(artifacts.artifacts.filter(a => a.name.includes(ALL_GREEN))).toEqual([])
    expect(run.summary).toContain('No build action of record')
  })

  it('still fetches named stages, with names, and keeps them when the list fails', async () => {
    api.script(`/v1/record/${BUILD}/full-stages`, [json(500, { error_code: 'CB.00060101' })])
    const run = await runAction({
      inputs: inputs({ 'task-names': 'stage1', 'max-attempts': '1' })
    })
    expectExitCode(run, 0)
    expect(JSON.parse(run.outputs.stages).stage1).toEqual({
      file: path.join(logDir(run.runnerTemp), 'stage1.log'),
      bytes: Buffer.byteLength(SAMPLE_LOGS.stage1),
      status: 'downloaded'
    })
    expect(run.stdout).toContain('could not be read, so the summary shows stage numbers only')

    const named = await runAction({ inputs: inputs({ 'task-names': 'stage2' }) })
    expect(JSON.parse(named.outputs.stages).stage2).toMatchObject({
      name: 'Build with Maven',
      result: 'error'
    })
  })

  it('retries a throttled listing, in an HTTP status or in a status-fail envelope', async () => {
    api.script(`/v1/record/${BUILD}/full-stages`, [
      json(
        429,
        { error_code: 'CB.00060211', error_msg: 'too many requests' },
        { 'Retry-After': '0' }
      ),
      fail({ error_code: 'CB.00060211', error_msg: 'too many requests' })
    ])
    const since = api.requests.length
    const run = await runAction({ inputs: inputs() })
    expectExitCode(run, 0)
    expect(api.requests.slice(since).filter(r => r.path.endsWith('/full-stages'))).toHaveLength(3)
    expect(run.stdout).toMatch(/stage list: attempt 1 of 4 failed: 429 CB.00060211/)
    expect(run.stdout).toMatch(/stage list: attempt 2 of 4 failed: status "fail": CB.00060211/)
    expect(JSON.parse(run.outputs.files)).toHaveLength(3)
  })
})

describe('a stage list that cannot be read fails before any log request', () => {
  const LIST = (id: string): string => `/v1/record/${id}/full-stages`
  it.each<[string, string, CannedResponse[], RegExp]>([
    [
      'a status-fail envelope',
      record(20),
      [fail({ error_code: 'CB.00060201', error_msg: 'invalid task ID' })],
      /status "fail": CB.00060201 invalid task ID/
    ],
    ['an error that is a string', record(21), [fail('record is archived')], /record is archived/],
    [
      'an HTML page',
      record(22),
      [{ status: 200, body: '<html><body><h1>Login</h1></body></html>' }],
      /the answer was not JSON; it began: Login/
    ],
    [
      'truncated JSON',
      record(23),
      [{ status: 200, body: '{"status":"success","result":{"build_st' }],
      /not JSON; it began: \{"status":"success","result":\{"build_st/
    ],
    [
      'JSON without build_stages',
      record(24),
      [json(200, { status: 'success', result: { stages: [] } })],
      /no "result.build_stages" map; it began: \{"result":\{"stages":\[\]\}\}/
    ],
    [
      'a body far larger than any stage list',
      record(25),
      [
        {
          status: 200,
          body: `{"status":"success","result":{"build_stages":{"x":"${'y'.repeat(5 * 1024 * 1024)}"}}}`
        }
      ],
      /larger than 4 MiB/
    ],
    ['a 404', record(26), [], /404 CB.00060214 URL not found/]
  ])('%s', async (_label, id, answers, words) => {
    api.script(LIST(id), answers)
    const since = api.requests.length
    const run = await runAction({ inputs: inputs({ 'record-id': id }) })
    expectExitCode(run, 1)
    expect(logRequests(since)).toEqual([])
    expect(run.annotations).toHaveLength(1)
    const [error] = run.annotations
    expect(error.level).toBe('error')
    expect(error.title).toBe(`Could not list the stages of record ${id}`)
    expect(error.message).toMatch(new RegExp(`^failed to list the build actions of record ${id}: `))
    expect(error.message).toMatch(words)
    expect(error.message).toMatch(/name the stages with task-names/)
    expect(run.outputs['record-id']).toBe(id)
  })

  it('calls an empty list an error', async () => {
    const since = api.requests.length
    const run = await runAction({ inputs: inputs({ 'record-id': record(10) }) })
    expectExitCode(run, 1)
    expect(logRequests(since)).toEqual([])
    expect(run.annotations[0].title).toBe(`Could not list the stages of record ${record(10)}`)
    expect(run.annotations[0].message).toMatch(/no build actions listed/)
  })

  it('gives up on a listing that keeps failing, after max-attempts', async () => {
    const busy = json(
      503,
      { error_code: 'CB.00060100', error_msg: 'network busy' },
      { 'Retry-After': '0' }
    )
    api.script(LIST(record(11)), [busy, busy])
    const since = api.requests.length
    const run = await runAction({
      inputs: inputs({ 'record-id': record(11), 'max-attempts': '2' })
    })
    expectExitCode(run, 1)
    expect(logRequests(since)).toEqual([])
    expect(run.annotations[0].message).toMatch(
      /503 CB.00060100 network busy.*\(gave up after 2 attempts\)/
    )
  })
})

describe('a record from a job ID and a build number', () => {
  it('resolves build_record_id and uses it for the logs, the folder and the record-id output', async () => {
    const since = api.requests.length
    const run = await runAction({
      inputs: inputs({
        'record-id': '',
        'job-id': JOB,
        'build-number': '7',
        'task-names': 'stage1'
      })
    })
    expectExitCode(run, 0)
    expect(api.requests[since].path).toBe(`/v1/record/${JOB}/7/record-info`)
    expect(api.requests[since].headers['x-auth-token']).toBe(TOKEN)
    expect(run.outputs['record-id']).toBe(BUILD)
    expect(run.outputs['log-dir']).toBe(logDir(run.runnerTemp, BUILD))
    expect(run.stdout).toContain(`Build 7 of job ${JOB} is record ${BUILD}`)
  })

  it('falls back to result.id when build_record_id does not have the record shape', async () => {
    const run = await runAction({
      inputs: inputs({
        'record-id': '',
        'job-id': JOB,
        'build-number': '8',
        'task-names': 'stage1'
      })
    })
    expectExitCode(run, 0)
    expect(run.outputs['record-id']).toBe(ALL_GREEN)
  })

  it.each<[string, string, CannedResponse[], RegExp]>([
    ['an unknown build', '404', [], /404 CB.00060214 URL not found/],
    [
      'a status-fail envelope',
      '405',
      [fail({ code: 'CB.00060201', msg: 'invalid task ID' })],
      /status "fail": CB.00060201 invalid task ID/
    ],
    [
      'a result without a record ID',
      '9',
      [],
      /no record ID .*; it began: \{"result":\{"id":9,"build_no":9\}\}/
    ]
  ])(
    'fails on %s, naming the job and build number, with no log request',
    async (_l, build, answers, words) => {
      api.script(`/v1/record/${JOB}/${build}/record-info`, answers)
      const since = api.requests.length
      const run = await runAction({
        inputs: inputs({ 'record-id': '', 'job-id': JOB, 'build-number': build })
      })
      expectExitCode(run, 1)
      expect(api.requests.slice(since)).toHaveLength(1)
      expect(run.annotations).toHaveLength(1)
      expect(run.annotations[0].title).toBe(`Could not find build ${build} of job ${JOB}`)
      expect(run.annotations[0].message).toMatch(words)
      expect(run.annotations[0].message).toMatch(/Check job-id .* and build-number/)
      expect(run.outputs['record-id']).toBeUndefined()
    }
  )
})

describe('the whole-build log', () => {
  it('is fetched as build.log after the stages and uploaded with them', async () => {
    const since = api.requests.length
    const run = await runAction({
      inputs: inputs({ 'whole-log': 'true', 'log-level': 'debug', 'artifact-name': 'whole-1' }),
      env: {
        ACTIONS_RUNTIME_TOKEN: makeRuntimeToken('run-1', 'job-1'),
        ACTIONS_RESULTS_URL: artifacts.url
      }
    })
    expectExitCode(run, 0)
    const whole = logRequests(since).find(r => r.path.endsWith('/download-log'))
    expect(whole?.path).toBe(`/v1/log/${BUILD}/download-log`)
    expect(whole?.query).toEqual({ log_level: 'DEBUG', compress: 'false' })
    const dir = logDir(run.runnerTemp)
    expect(JSON.parse(run.outputs.files)).toEqual(
      ['stage1', 'stage2', 'stage3', 'build'].map(s => path.join(dir, `${s}.log`))
    )
    expect(await fs.readFile(path.join(dir, 'build.log'), 'utf8')).toBe(WHOLE_LOG)
    expect(JSON.parse(run.outputs.stages).build).toEqual({
      file: path.join(dir, 'build.log'),
      bytes: Buffer.byteLength(WHOLE_LOG),
      status: 'downloaded'
    })
    const zip = readZip(artifacts.artifacts.find(a => a.name === 'whole-1')!.bytes)
    expect(zip.get('build.log')?.toString('utf8')).toBe(WHOLE_LOG)
    expect([...zip.keys()].sort()).toEqual(['build.log', 'stage1.log', 'stage2.log', 'stage3.log'])
    expect(run.summary).toContain(
      `| build (whole log) |  |  |  | \`build.log\` | ${Buffer.byteLength(WHOLE_LOG)} B | 2 | 1 | 0 |`
    )
    expect(run.annotations.map(a => a.title)).toContain('Build error in build (whole log)')
  })

  it('is reported as the failed stage build when it cannot be fetched, keeping the stages', async () => {
    const run = await runAction({
      inputs: inputs({ 'record-id': NO_WHOLE_LOG, 'whole-log': 'true' })
    })
    expectExitCode(run, 1)
    expect(JSON.parse(run.outputs['failed-stages'])).toEqual(['build'])
    expect(JSON.parse(run.outputs.files)).toHaveLength(3)
    const errors = run.annotations.filter(a => a.level === 'error')
    // The download failure first, then the compile error of a stage log it did fetch.
    expect(errors).toHaveLength(2)
    expect(errors[0].message).toMatch(/^failed to download build of record .*: 404 CB.00060214/)
    expect(errors[1]).toEqual(sampleCompileError('stage2 (Build with Maven)'))
  })
})
