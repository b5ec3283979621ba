import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { ServerResponse } from 'node:http'
import { startCodeArts, type CodeArtsEmulator } from '../__fixtures__/codearts-server.js'
import { makeRuntimeToken } from '../__fixtures__/jwt.js'
import { startResultsService, type ResultsService } from '../__fixtures__/results-service.js'
import {
  expectExitCode,
  runAction,
  secretLeaks,
  terminateWhen,
  type StepRun
} from '../__fixtures__/run-action.js'
import { SAMPLE_LOGS, sampleCompileError } from '../__fixtures__/sample.js'
import { readZip } from '../__fixtures__/zip.js'

const record = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`
const job = (n: number): string => `${String(n).padStart(2, '0')}${'c'.repeat(30)}`
const KEY_ID = 'HPUAEXAMPLEKEYID0001'
const SECRET = 'secret-key-for-the-start-tests-0123456789'
const SHA = '4f1c2a9e8b7d6c5b4a39281706f5e4d3c2b1a098'
// Parameter values stand for secrets: none may reach a log, the summary or an output.
const PARAMETER_VALUES = ['staging-eu-west', 'p4ss-w0rd-do-not-print']
const STAGES = {
  s1: { execution_stage_name: 'stage1', display_name: 'Checkout', status: 'success', sequence: 1 },
  s2: { execution_stage_name: 'stage2', display_name: 'Build', status: 'error', sequence: 2 }
}

let api: CodeArtsEmulator
let results: ResultsService

beforeAll(async () => {
  const records = [1, 2, 3, 4, 5, 6, 7, 8, 9].map(record)
  api = await startCodeArts({
    keys: { [KEY_ID]: { secret: SECRET } },
    logs: Object.fromEntries(records.map(id => [id, SAMPLE_LOGS])),
    stages: Object.fromEntries(records.map(id => [id, STAGES])),
    records: { [`${job(9)}/12`]: { build_record_id: record(8) } },
    info: { [record(8)]: { status: 'running' } },
    jobs: {
      // The acceptance run: fails after two polls.
      [job(1)]: {
        nextBuildNumber: 55,
        recordIds: { 55: record(1) },
        statuses: ['running', 'running', 'error'],
        registerAfter: 1
      },
      // Detach: not registered at the one lookup.
      [job(2)]: { nextBuildNumber: 7, recordIds: {}, statuses: ['running'], registerAfter: 5 },
      // Detach, number as a number, registered at once.
      [job(3)]: {
        nextBuildNumber: 8,
        numberAs: 'number',
        recordIds: { 8: record(3) },
        statuses: ['running']
      },
      // The connection is reset once the body is read.
      [job(4)]: { nextBuildNumber: 1, recordIds: {}, statuses: ['running'], resetStarts: 1 },
      // Throttled once, then started; also the refused and unexpected answers.
      [job(5)]: { nextBuildNumber: 3, recordIds: { 3: record(5) }, statuses: ['running'] },
      // Cancelled while running: the stop is accepted.
      [job(6)]: { nextBuildNumber: 20, recordIds: { 20: record(6) }, statuses: ['running'] },
      // Cancelled while running, with stop-on-cancel: false.
      [job(10)]: { nextBuildNumber: 40, recordIds: { 40: record(2) }, statuses: ['running'] },
      // Cancelled while its start is in flight; job 12's build ends in error with no stage list.
      [job(11)]: {
        nextBuildNumber: 60,
        recordIds: { 60: record(4) },
        statuses: ['running'],
        answerStartAfterMs: 800
      },
      [job(12)]: { nextBuildNumber: 70, recordIds: {}, statuses: ['error'] },
      // Followed with wait-minutes left empty: succeeds at the second poll.
      [job(13)]: {
        nextBuildNumber: 90,
        recordIds: { 90: record(9) },
        statuses: ['running', 'success']
      },
      // Cancelled while running: the stop is refused.
      [job(7)]: {
        nextBuildNumber: 30,
        recordIds: { 30: record(7) },
        statuses: ['running'],
        acceptStop: false
      }
    }
  })
  results = await startResultsService()
})
afterAll(async () => {
  await api.close()
  await results.close()
})

function keys(extra: Record<string, string>): Record<string, string> {
  return {
    'access-key-id': KEY_ID,
    'secret-access-key': SECRET,
    endpoint: api.url,
    'start-build': 'true',
    // Detached unless a test says otherwise: left empty, a started build is followed for 60 min.
    'wait-minutes': '0',
    ...extra
  }
}

function startsOf(jobId: string): unknown[] {
  return api.started.filter(b => b.jobId === jobId).map(b => b.body)
}

function startRequests(since: number): number {
  return api.requests.slice(since).filter(r => r.path === '/v3/jobs/build').length
}

/** A step run sent SIGTERM once the emulator has seen it poll `record`'s status, and when it was sent. */
async function cancelledRun(
  inputs: Record<string, string>,
  record: string
): Promise<{ run: StepRun; sentAt: number }> {
  const since = api.requests.length
  const path = `/v1/record/${record}/info`
  let sentAt = 0
  const run = await runAction({
    inputs: { ...inputs, 'wait-minutes': '5', 'poll-seconds': '30' },
    during: async ({ child }) => {
      sentAt = await terminateWhen(child, () =>
        api.requests.slice(since).some(r => r.path === path)
      )
    },
    timeoutMs: 20_000
  })
  return { run, sentAt }
}

function errors(run: StepRun): { title?: string; message: string }[] {
  return run.annotations
    .filter(a => a.level === 'error')
    .map(({ title, message }) => ({ title, message }))
}

describe('starting a build', () => {
  it('starts one build with exactly the body, waits, fetches and uploads every log, and fails with it', async () => {
    const since = api.requests.length
    const run = await runAction({
      inputs: keys({
        'job-id': job(1),
        parameters: `DEPLOY_ENV=${PARAMETER_VALUES[0]}\n\nAPI_PASSWORD=${PARAMETER_VALUES[1]}\n`,
        commit: SHA,
        'wait-minutes': '1',
        'poll-seconds': '1',
        'task-names': 'all',
        'artifact-name': 'started-build-logs'
      }),
      env: {
        ACTIONS_RUNTIME_TOKEN: makeRuntimeToken('run-1', 'job-1'),
        ACTIONS_RESULTS_URL: results.url
      }
    })
    expectExitCode(run, 1)
    expect(startRequests(since)).toBe(1)
    expect(startsOf(job(1))).toEqual([
      {
        job_id: job(1),
        parameter: [
          { name: 'DEPLOY_ENV', value: PARAMETER_VALUES[0] },
          { name: 'API_PASSWORD', value: PARAMETER_VALUES[1] }
        ],
        scm: { build_commit_id: SHA }
      }
    ])
    // The start was signed: the emulator verifies the signature over the body's SHA-256.
    const start = api.requests.slice(since).find(r => r.path === '/v3/jobs/build')
    expect(start?.headers.authorization).toMatch(/^SDK-HMAC-SHA256 Access=HPUAEXAMPLEKEYID0001,/)
    expect(start?.headers['content-type']).toBe('application/json;charset=UTF-8')

    expect(run.outputs['build-number']).toBe('55')
    expect(run.outputs['record-id']).toBe(record(1))
    expect(run.outputs['build-status']).toBe('error')
    const artifact = results.artifacts.find(a => a.name === 'started-build-logs')
    expect([...readZip(artifact!.bytes).keys()].sort()).toEqual(['stage1.log', 'stage2.log'])
    expect(run.outputs['artifact-id']).toBe(String(artifact!.id))
    const { title, message } = sampleCompileError('stage2 (Build)')
    expect(errors(run)).toEqual([
      {
        title: 'Build failed',
        message: `Build 55 of job ${job(1)} (record ${record(1)}) ended with status error. fail-on-build-failure is true, so the step fails.`
      },
      { title, message }
    ])
    expect(run.stdout).toContain(
      `Started build 55 of job ${job(1)} with parameters DEPLOY_ENV, API_PASSWORD, commit ${SHA}`
    )
    expect(run.summary).toContain('Started build 55 of job')
    expect(run.summary).toContain('DEPLOY&#95;ENV, API&#95;PASSWORD')
    expect(secretLeaks(run, [...PARAMETER_VALUES, SECRET])).toEqual([])
  }, 30_000)

  it('sends a branch as codeBranch and a tag as scm.build_tag, and detaches with wait-minutes 0', async () => {
    const since = api.requests.length
    const run = await runAction({
      inputs: keys({ 'job-id': job(2), parameters: 'MODE=fast', branch: 'release/1.2', tag: '' })
    })
    expectExitCode(run, 0)
    const withTag = await runAction({
      inputs: keys({ 'job-id': job(2), tag: 'v1.2.0' })
    })
    expectExitCode(withTag, 0)
    expect(startsOf(job(2))).toEqual([
      {
        job_id: job(2),
        parameter: [
          { name: 'MODE', value: 'fast' },
          { name: 'codeBranch', value: 'release/1.2' }
        ]
      },
      { job_id: job(2), scm: { build_tag: 'v1.2.0' } }
    ])
    const requests = api.requests.slice(since)
    // One lookup each, a 404 as the build registers; no status, stage list or log.
    expect(requests.map(r => `${r.method} ${r.path}`)).toEqual([
      'POST /v3/jobs/build',
      `GET /v1/record/${job(2)}/7/record-info`,
      'POST /v3/jobs/build',
      `GET /v1/record/${job(2)}/8/record-info`
    ])
    // Nothing is asked for the summary of a detached start; the JSON outputs are still valid.
    const none = { tests: '', packages: '[]', 'failed-tests': '[]', 'build-errors': '[]' }
    expect(run.outputs).toEqual({ 'build-number': '7', 'record-id': '', ...none })
    expect(withTag.outputs).toEqual({ 'build-number': '8', 'record-id': '', ...none })
    expect(run.annotations).toEqual([])
    expect(run.summary).toContain(
      `Started build 7 of job ${job(2)} with parameters MODE, branch release/1.2`
    )
    expect(run.summary).toContain('The build was not registered yet, so there is no record ID.')
    expect(withTag.summary).toContain('with no parameters, tag v1.2.0')
    expect(run.summary).not.toContain('fast')
  })

  it('follows a started build to its end when wait-minutes is left empty', async () => {
    const run = await runAction({
      inputs: keys({ 'job-id': job(13), 'wait-minutes': '', 'poll-seconds': '1' })
    })
    expectExitCode(run, 0)
    expect(run.outputs).toMatchObject({
      'build-number': '90',
      'record-id': record(9),
      'build-status': 'success'
    })
    expect(run.stdout).toMatch(/Build status: success after \d+ s/)
    expect(JSON.parse(run.outputs.files)).toHaveLength(2)
  })

  it('reads a build number sent as a number and sets record-id when the build is registered', async () => {
    const run = await runAction({ inputs: keys({ 'job-id': job(3) }) })
    expectExitCode(run, 0)
    expect(run.outputs).toEqual({
      'build-number': '8',
      'record-id': record(3),
      tests: '',
      packages: '[]',
      'failed-tests': '[]',
      'build-errors': '[]'
    })
    expect(run.summary).toContain(`Record \`${record(3)}\` · not waited for`)
  })

  it('never asks twice after a reset once the body was sent, and says a build may have started', async () => {
    const since = api.requests.length
    const run = await runAction({ inputs: keys({ 'job-id': job(4), 'wait-minutes': '1' }) })
    expectExitCode(run, 1)
    expect(api.requests.slice(since).map(r => r.path)).toEqual(['/v3/jobs/build'])
    expect(errors(run)).toEqual([
      {
        title: 'A build may have started',
        message: expect.stringMatching(
          new RegExp(
            `^the start request for job ${job(4)} got no clear answer: .*A build of job ${job(4)} may have started all the same, so it was not asked again: check the job's build history in the CodeArts console`
          )
        )
      }
    ])
    expect(run.outputs['build-number']).toBeUndefined()
  })

  it('retries a throttled start (429), and only that', async () => {
    api.script('/v3/jobs/build', [
      {
        status: 429,
        headers: { 'Content-Type': 'application/json', 'Retry-After': '0' },
        body: { error_code: 'CB.00060211', error_msg: 'Too many requests' }
      }
    ])
    const since = api.requests.length
    const run = await runAction({ inputs: keys({ 'job-id': job(5) }) })
    expectExitCode(run, 0)
    expect(startRequests(since)).toBe(2)
    expect(run.outputs['build-number']).toBe('3')
    expect(run.stdout).toMatch(/build start: attempt 1 of 4 failed: .*429/)
  })

  it('fails a refused start (400 CB error) with its code, asked once', async () => {
    api.script('/v3/jobs/build', [
      {
        status: 400,
        headers: { 'Content-Type': 'application/json' },
        body: { error_code: 'CB.00060201', error_msg: 'The job is not allowed to run' }
      }
    ])
    const since = api.requests.length
    const run = await runAction({ inputs: keys({ 'job-id': job(5) }) })
    expectExitCode(run, 1)
    expect(startRequests(since)).toBe(1)
    expect(api.requests.length - since).toBe(1)
    expect(errors(run)).toEqual([
      {
        title: 'Could not start the build',
        message: expect.stringMatching(
          new RegExp(
            `^CodeArts refused to start a build of job ${job(5)}: .*400.*CB.00060201 The job is not allowed to run`
          )
        )
      }
    ])
  })

  it('fails an answer without a build number as unexpected, and asks nothing else', async () => {
    api.script('/v3/jobs/build', [
      {
        status: 200,
        headers: { 'Content-Type': 'application/json' },
        body: { octopus_job_name: 'x' }
      }
    ])
    const since = api.requests.length
    const run = await runAction({ inputs: keys({ 'job-id': job(5), 'wait-minutes': '1' }) })
    expectExitCode(run, 1)
    expect(api.requests.length - since).toBe(1)
    expect(errors(run)).toEqual([
      expect.objectContaining({
        title: 'A build may have started',
        message: expect.stringMatching(/no build number .* in actual_build_number/)
      })
    ])
  })
})

describe('a failed build whose logs cannot be listed', () => {
  it('fails with the listing error and still says the build failed', async () => {
    const run = await runAction({
      inputs: keys({ 'job-id': job(12), 'wait-minutes': '1', 'poll-seconds': '1' })
    })
    expectExitCode(run, 1)
    expect(errors(run).map(e => e.title)).toEqual([
      expect.stringMatching(/^Could not list the stages of record /),
      'Build failed'
    ])
    expect(run.outputs['build-status']).toBe('error')
  })
})

describe('stop on cancel', () => {
  it('stops a started build once, within 5 s of SIGTERM, and says CodeArts accepted', async () => {
    const { run, sentAt } = await cancelledRun(keys({ 'job-id': job(6) }), record(6))
    expectExitCode(run, 1)
    const stops = api.stops.filter(s => s.jobId === job(6))
    expect(stops).toHaveLength(1)
    expect(stops[0].buildNumber).toBe(20)
    expect(stops[0].at - sentAt).toBeLessThan(5_000)
    expect(run.outputs['build-number']).toBe('20')
    expect(run.outputs['record-id']).toBe(record(6))
    expect(errors(run)).toEqual([
      {
        title: 'Cancelled',
        message: `The step was cancelled before any log was downloaded; nothing was uploaded. CodeArts accepted the stop of build 20 of job ${job(6)} (The build is being stopped).`
      }
    ])
  })

  it('says so when CodeArts does not accept the stop, and still ends as cancelled', async () => {
    const { run } = await cancelledRun(keys({ 'job-id': job(7) }), record(7))
    expectExitCode(run, 1)
    expect(api.stops.filter(s => s.jobId === job(7))).toHaveLength(1)
    expect(errors(run)).toEqual([
      {
        title: 'Cancelled',
        message: expect.stringMatching(
          /nothing was uploaded\. CodeArts did not accept the stop of build 30 of job .* \(The build cannot be stopped now\): it may go on running; stop it in the console\.$/
        )
      }
    ])
  })

  it('waits for the answer of a start in flight at the cancel, then stops the build it names', async () => {
    const since = api.requests.length
    let sentAt = 0
    const run = await runAction({
      inputs: keys({ 'job-id': job(11), 'wait-minutes': '5' }),
      during: async ({ child }) => {
        sentAt = await terminateWhen(child, () => startRequests(since) > 0)
      },
      timeoutMs: 20_000
    })
    expectExitCode(run, 1)
    const stops = api.stops.filter(s => s.jobId === job(11))
    expect(stops.map(s => s.buildNumber)).toEqual([60])
    expect(stops[0].at - sentAt).toBeLessThan(5_000)
    expect(run.outputs['build-number']).toBe('60')
    expect(errors(run)).toEqual([
      {
        title: 'Cancelled',
        message: expect.stringContaining(`CodeArts accepted the stop of build 60 of job ${job(11)}`)
      }
    ])
  })

  it('never stops a build it did not start: given by job-id and build-number', async () => {
    const since = api.requests.length
    const stopsBefore = api.stops.length
    const given = { 'start-build': 'false', 'job-id': job(9), 'build-number': '12' }
    const { run } = await cancelledRun(keys(given), record(8))
    expectExitCode(run, 1)
    expect(api.stops.length).toBe(stopsBefore)
    expect(api.requests.slice(since).filter(r => r.method === 'POST')).toEqual([])
    expect(errors(run)).toEqual([
      {
        title: 'Cancelled',
        message: 'The step was cancelled before any log was downloaded; nothing was uploaded.'
      }
    ])
  })

  it('leaves a started build running with stop-on-cancel: false, and says so', async () => {
    const stopsBefore = api.stops.length
    const inputs = keys({ 'job-id': job(10), 'stop-on-cancel': 'false' })
    const { run } = await cancelledRun(inputs, record(2))
    expectExitCode(run, 1)
    expect(api.stops.length).toBe(stopsBefore)
    expect(errors(run)[0].message).toMatch(/goes on running \(stop-on-cancel: false\)\.$/)
  })
})

describe('a detached start cancelled during its record lookup', () => {
  it('ends as cancelled, and the cut lookup raises no warning', async () => {
    const held: ServerResponse[] = []
    const slow = await startCodeArts({
      keys: { [KEY_ID]: { secret: SECRET } },
      jobs: {
        [job(14)]: { nextBuildNumber: 5, recordIds: { 5: record(1) }, statuses: ['running'] }
      },
      // The lookup is never answered: the cancel lands while it waits.
      intercept: (_req, res, url) => url.pathname.endsWith('/record-info') && held.push(res) > 0
    })
    try {
      const run = await runAction({
        inputs: { ...keys({ 'job-id': job(14) }), endpoint: slow.url },
        during: async ({ child }) => {
          await terminateWhen(child, () => held.length > 0)
        },
        timeoutMs: 20_000
      })
      expectExitCode(run, 1)
      expect(held).toHaveLength(1)
      expect(
        run.annotations.map(({ level, title, message }) => ({ level, title, message }))
      ).toEqual([
        {
          level: 'error',
          title: 'Cancelled',
          message: 'The step was cancelled before any log was downloaded; nothing was uploaded.'
        }
      ])
      expect(run.stdout).not.toContain('record-id is empty')
    } finally {
      for (const res of held) res.destroy()
      await slow.close()
    }
  })
})
