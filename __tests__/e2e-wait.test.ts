import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  startCodeArts,
  type CannedResponse,
  type CodeArtsEmulator
} from '../__fixtures__/codearts-server.js'
import { expectExitCode, runAction, terminateWhen } from '../__fixtures__/run-action.js'
import { SAMPLE_LOGS, TOKEN, sampleCompileError } from '../__fixtures__/sample.js'

const record = (n: number): string => `00000000-0000-4000-9000-${String(n).padStart(12, '0')}`
const JOB = 'abcdefabcdefabcdefabcdefabcdef01'
const STAGES = {
  s1: { execution_stage_name: 'stage1', display_name: 'Checkout', status: 'success', sequence: 1 },
  s2: { execution_stage_name: 'stage2', display_name: 'Build', status: 'error', sequence: 2 }
}

let api: CodeArtsEmulator

const status = (value: string): CannedResponse => ({
  status: 200,
  headers: { 'Content-Type': 'application/json' },
  body: { status: 'success', error: null, result: { id: 'x', status: value, build_no: 3 } }
})
const INFO = (id: string): string => `/v1/record/${id}/info`

beforeAll(async () => {
  const ids = [1, 3, 4, 5].map(record)
  api = await startCodeArts({
    token: TOKEN,
    logs: Object.fromEntries(ids.map(id => [id, SAMPLE_LOGS])),
    stages: Object.fromEntries(ids.map(id => [id, STAGES])),
    info: {
      [record(1)]: { status: 'ERROR' },
      [record(4)]: { status: 'running' },
      [record(5)]: { status: 'success' }
    },
    records: { [`${JOB}/3`]: { build_record_id: record(5), build_no: 3 } }
  })
})
afterAll(async () => api.close())

function inputs(extra: Record<string, string>): Record<string, string> {
  return { token: TOKEN, endpoint: api.url, 'poll-seconds': '1', 'wait-minutes': '1', ...extra }
}

describe('waiting for a running build', () => {
  it('polls until the build ends, logs each change once, fetches complete logs, then fails with the build', async () => {
    api.script(INFO(record(1)), [status('queued'), status('running'), status('running')])
    const since = api.requests.length
    const run = await runAction({ inputs: inputs({ 'record-id': record(1) }) })
    expectExitCode(run, 1)
    const requests = api.requests.slice(since)
    const infos = requests.filter(r => r.path === INFO(record(1)))
    expect(infos).toHaveLength(4)
    const logs = requests.filter(r => r.path.startsWith('/v1/log/'))
    expect(logs).toHaveLength(2)
    const ended = infos[infos.length - 1].at
    for (const log of logs) expect(log.at).toBeGreaterThanOrEqual(ended)
    expect(requests.findIndex(r => r.path.endsWith('/full-stages'))).toBe(infos.length)

    const changes = run.stdout.split('\n').filter(line => line.startsWith('Build status: '))
    expect(changes.map(line => line.replace(/ after \d+ s$/, ''))).toEqual([
      'Build status: queued',
      'Build status: running',
      'Build status: error'
    ])
    expect(run.outputs['build-status']).toBe('error')
    expect(JSON.parse(run.outputs['failed-stages'])).toEqual([])
    expect(run.summary).toContain(`Record \`${record(1)}\` · region`)
    expect(run.summary).toContain('\nBuild · ❌ **error**\n')
    // The log's one [ERROR] line is a recognised compile error: an error after the verdict, and
    // no build error warning.
    expect(run.annotations).toEqual([
      expect.objectContaining({ title: 'Artifact upload skipped' }),
      {
        level: 'error',
        title: 'Build failed',
        message: `The build of record ${record(1)} ended with status error. fail-on-build-failure is true, so the step fails.`
      },
      sampleCompileError('stage2 (Build)')
    ])
    // The failure comes once the logs are saved and the outputs set: it never costs the logs.
    const lines = run.stdout.split('\n')
    const failedAt = lines.findIndex(line => line.startsWith('::error title=Build failed::'))
    expect(lines.findIndex(line => line.startsWith('::group::stage2'))).toBeLessThan(failedAt)
    expect(JSON.parse(run.outputs.files)).toHaveLength(2)
  })

  it('keeps a failed build to build-status with fail-on-build-failure: false', async () => {
    const run = await runAction({
      inputs: inputs({ 'record-id': record(1), 'fail-on-build-failure': 'false' })
    })
    expectExitCode(run, 0)
    expect(run.outputs['build-status']).toBe('error')
    // The build's verdict fails nothing; the compile error in its log is an error all the same.
    expect(run.annotations.filter(a => a.level === 'error')).toEqual([
      sampleCompileError('stage2 (Build)')
    ])
  })

  it('asks again for a build that is not registered yet, then waits for it', async () => {
    const notYet: CannedResponse = {
      status: 404,
      headers: { 'Content-Type': 'application/json' },
      body: { error_code: 'CB.00060214', error_msg: 'URL not found' }
    }
    api.script(`/v1/record/${JOB}/3/record-info`, [notYet, notYet])
    const since = api.requests.length
    const run = await runAction({
      inputs: inputs({ 'job-id': JOB, 'build-number': '3', 'task-names': 'stage1' })
    })
    expectExitCode(run, 0)
    const paths = api.requests.slice(since).map(r => r.path)
    expect(paths.filter(p => p.endsWith('/record-info'))).toHaveLength(3)
    expect(run.stdout.match(/is not registered yet \(404\)/g)).toHaveLength(1)
    expect(run.outputs['record-id']).toBe(record(5))
    expect(run.outputs['build-status']).toBe('success')
  })

  it('warns and fetches the logs anyway when the status cannot be read', async () => {
    api.script(INFO(record(3)), [
      {
        status: 200,
        headers: { 'Content-Type': 'application/json' },
        body: { status: 'fail', error: { error_code: 'CB.00060101', error_msg: 'internal error' } }
      }
    ])
    const run = await runAction({
      inputs: inputs({ 'record-id': record(3), 'fail-on-build-failure': 'false' })
    })
    expectExitCode(run, 0)
    expect(run.annotations).toContainEqual({
      level: 'warning',
      title: 'Could not read the build status',
      message: expect.stringMatching(
        new RegExp(
          `^The status of the build of record ${record(3)} could not be read \\(status "fail": CB.00060101 internal error.*\\); the build may go on running in CodeArts, and the logs are fetched as they are\\.$`
        )
      )
    })
    expect(JSON.parse(run.outputs.files)).toHaveLength(2)
    expect(run.outputs['build-status']).toBe('')
  })

  it('fails with the build when its status cannot be read, after fetching the logs', async () => {
    api.script(INFO(record(3)), [
      {
        status: 200,
        headers: { 'Content-Type': 'application/json' },
        body: { status: 'fail', error: { error_code: 'CB.00060101', error_msg: 'internal error' } }
      }
    ])
    const run = await runAction({ inputs: inputs({ 'record-id': record(3) }) })
    expectExitCode(run, 1)
    expect(run.annotations.filter(a => a.level === 'error')).toEqual([
      {
        level: 'error',
        title: 'Build failed',
        message: expect.stringMatching(
          /^The status of the build of record .* could not be read \(status "fail": CB.00060101 .*fail-on-build-failure is true, so the step fails\.$/
        )
      },
      sampleCompileError('stage2 (Build)')
    ])
    expect(JSON.parse(run.outputs.files)).toHaveLength(2)
  })

  it('ends at once on SIGTERM while waiting, downloading and uploading nothing', async () => {
    const since = api.requests.length
    const run = await runAction({
      inputs: inputs({ 'record-id': record(4), 'poll-seconds': '30' }),
      env: { ACTIONS_RUNTIME_TOKEN: 'x', ACTIONS_RESULTS_URL: 'http://127.0.0.1:9' },
      during: async ({ child }) => {
        await terminateWhen(child, () =>
          api.requests.slice(since).some(r => r.path === INFO(record(4)))
        )
      },
      timeoutMs: 20_000
    })
    expectExitCode(run, 1)
    expect(api.requests.slice(since).filter(r => r.path.startsWith('/v1/log/'))).toEqual([])
    expect(run.annotations).toEqual([
      {
        level: 'error',
        title: 'Cancelled',
        message: 'The step was cancelled before any log was downloaded; nothing was uploaded.'
      }
    ])
  })
})
