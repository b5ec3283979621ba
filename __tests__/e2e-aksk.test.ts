import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs/promises'
import { startCodeArts, type CodeArtsEmulator } from '../__fixtures__/codearts-server.js'
import { expectExitCode, runAction, secretLeaks } from '../__fixtures__/run-action.js'
import { RECORD_ID, SAMPLE_LOGS } from '../__fixtures__/sample.js'

const AK = 'HPUAEXAMPLEAKID12345'
const SK = 'sk-Example-Secret/Key+0123456789abcdefghij'
const TEMP_AK = 'TEMPAKEXAMPLE0000001'
const TEMP_SK = 'temp-secret-key-value-ABCDEFGH'
const STS = 'sts-security-token-value-0123456789'
const JOB = 'fedcba9876543210fedcba9876543210'

let api: CodeArtsEmulator
let foreign: CodeArtsEmulator

function logUrl(base: string, stage: string): string {
  return `${base}/v1/log/${RECORD_ID}/task-log?task_name=${stage}&log_level=INFO&compress=false`
}

beforeAll(async () => {
  foreign = await startCodeArts({ logs: { [RECORD_ID]: SAMPLE_LOGS } })
  api = await startCodeArts({
    keys: { [AK]: { secret: SK }, [TEMP_AK]: { secret: TEMP_SK, securityToken: STS } },
    logs: { [RECORD_ID]: SAMPLE_LOGS },
    stages: { [RECORD_ID]: { a: { execution_stage_name: 'stage1', display_name: 'Checkout' } } },
    records: { [`${JOB}/5`]: { build_record_id: RECORD_ID } },
    // stage8 moves to another host, stage9 to another path on this one.
    intercept: (_req, res, url) => {
      const stage = url.searchParams.get('task_name')
      const target =
        stage === 'stage8'
          ? logUrl(foreign.url, 'stage1')
          : stage === 'stage9'
            ? logUrl(api.url, 'stage2')
            : undefined
      if (!target) return false
      res.writeHead(302, { Location: target })
      res.end()
      return true
    }
  })
})
afterAll(async () => {
  await api.close()
  await foreign.close()
})

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return { 'record-id': RECORD_ID, 'task-names': 'stage1, stage2', endpoint: api.url, ...extra }
}

/** The signatures the emulator received since `from`: none may show up in what the user sees. */
function signaturesSince(from: number): string[] {
  return api.requests
    .slice(from)
    .map(r => /Signature=([0-9a-f]+)/.exec(String(r.headers.authorization))?.[1] ?? '')
    .filter(Boolean)
}

describe('AK/SK signing end to end', () => {
  it('signs the record lookup and the stage list like the log requests', async () => {
    const before = api.requests.length
    const run = await runAction({
      inputs: {
        'job-id': JOB,
        'build-number': '5',
        endpoint: api.url,
        'access-key-id': AK,
        'secret-access-key': SK
      }
    })
    expectExitCode(run, 0)
    expect(run.outputs['record-id']).toBe(RECORD_ID)
    expect(JSON.parse(run.outputs.stages).stage1).toMatchObject({ name: 'Checkout' })
    const paths = api.requests.slice(before).map(r => r.path)
    expect(paths.slice(0, 2)).toEqual([
      `/v1/record/${JOB}/5/record-info`,
      `/v1/record/${RECORD_ID}/full-stages`
    ])
    // The summary's own requests (test report, outputs) share the download pool with the log.
    expect(paths.slice(2).sort()).toEqual([
      `/v1/log/${RECORD_ID}/task-log`,
      `/v1/report/${JOB}/summary`,
      `/v3/jobs/${JOB}/5/output-info`
    ])
    expect(signaturesSince(before).filter(Boolean)).toHaveLength(5)
  })

  it('signs with keys given as inputs and says which method it uses', async () => {
    const before = api.requests.length
    const run = await runAction({
      inputs: inputs({ 'access-key-id': AK, 'secret-access-key': SK, 'project-id': 'proj-1' }),
      env: { RUNNER_DEBUG: '1' }
    })
    expectExitCode(run, 0)
    expect(JSON.parse(run.outputs.files)).toHaveLength(2)
    expect(await fs.readFile(JSON.parse(run.outputs.files)[1], 'utf8')).toBe(SAMPLE_LOGS.stage2)
    expect(run.stdout).toContain(
      'Authenticating with AK/SK signing (SDK-HMAC-SHA256) with an access key from the access-key-id and secret-access-key inputs'
    )
    // The stage list (for the summary's names) and the two logs, each signed.
    const received = api.requests.slice(before)
    expect(received.map(r => r.path.split('/').pop())).toEqual(
      expect.arrayContaining(['full-stages', 'task-log', 'task-log'])
    )
    expect(received).toHaveLength(3)
    for (const request of received) {
      expect(request.headers['x-project-id']).toBe('proj-1')
      expect(request.headers['x-auth-token']).toBeUndefined()
      expect(request.headers.authorization).toMatch(
        new RegExp(
          `^SDK-HMAC-SHA256 Access=${AK}, SignedHeaders=accept;host;x-project-id;x-sdk-date, `
        )
      )
    }
    const signatures = signaturesSince(before)
    expect(signatures).toHaveLength(3)
    for (const signature of signatures) {
      expect(run.stdout + run.stderr + run.summary + JSON.stringify(run.outputs)).not.toContain(
        signature
      )
    }
    expect(secretLeaks(run, [AK, SK])).toEqual([])
  })

  it('takes the keys from the HUAWEI_CLOUD_* variables huaweicloud/auth-action exports', async () => {
    const run = await runAction({
      inputs: inputs(),
      env: {
        HUAWEI_CLOUD_ACCESS_KEY_ID: AK,
        HUAWEI_CLOUD_SECRET_ACCESS_KEY: SK,
        HUAWEI_CLOUD_REGION: 'cn-south-1',
        RUNNER_DEBUG: '1'
      }
    })
    expectExitCode(run, 0)
    expect(run.stdout).toContain('from the HUAWEI_CLOUD_* environment variables')
    expect(run.summary).toContain('region `cn-south-1`')
    expect(secretLeaks(run, [AK, SK])).toEqual([])
  })

  it('signs temporary credentials with their security token', async () => {
    const before = api.requests.length
    const run = await runAction({
      inputs: inputs({
        'access-key-id': TEMP_AK,
        'secret-access-key': TEMP_SK,
        'security-token': STS
      }),
      env: { RUNNER_DEBUG: '1' }
    })
    expectExitCode(run, 0)
    expect(api.requests[before].headers['x-security-token']).toBe(STS)
    expect(api.requests[before].headers.authorization).toContain('x-security-token')
    expect(secretLeaks(run, [TEMP_AK, TEMP_SK, STS])).toEqual([])
  })

  it('fails a wrong secret with the AK/SK hint, not the token one', async () => {
    const run = await runAction({
      inputs: inputs({ 'access-key-id': AK, 'secret-access-key': 'not-the-secret-key-0000' }),
      env: { RUNNER_DEBUG: '1' }
    })
    expectExitCode(run, 1)
    const errors = run.annotations.filter(a => a.level === 'error')
    expect(errors).toHaveLength(2)
    expect(errors[0].title).toBe('CodeArts Build API error 401 (APIGW.0301)')
    expect(errors[0].message).toContain('signature mismatch')
    expect(errors[0].message).toContain('Check the access key pair')
    expect(errors[0].message).not.toContain('IAM tokens expire')
    expect(secretLeaks(run, [AK, 'not-the-secret-key-0000'])).toEqual([])
  })

  it('is refused by the gateway without the security token of temporary keys', async () => {
    const run = await runAction({
      inputs: inputs({
        'access-key-id': TEMP_AK,
        'secret-access-key': TEMP_SK,
        'task-names': 'stage1'
      })
    })
    expectExitCode(run, 1)
    expect(run.annotations[0].message).toContain('X-Security-Token')
  })

  it('signs only for the endpoint host across redirects', async () => {
    const since = foreign.requests.length
    const before = api.requests.length
    const run = await runAction({
      inputs: inputs({
        'access-key-id': TEMP_AK,
        'secret-access-key': TEMP_SK,
        'security-token': STS,
        'task-names': 'stage8 stage9'
      })
    })
    expectExitCode(run, 0)
    const [abroad] = foreign.requests.slice(since)
    expect(abroad.headers.authorization).toBeUndefined()
    expect(abroad.headers['x-security-token']).toBeUndefined()
    expect(abroad.headers['x-sdk-date']).toBeUndefined()
    const resigned = api.requests.slice(before).find(r => r.query.task_name === 'stage2')
    expect(resigned?.headers.authorization).toMatch(
      /^SDK-HMAC-SHA256 Access=TEMPAKEXAMPLE0000001, /
    )
    const files: string[] = JSON.parse(run.outputs.files)
    expect(await fs.readFile(files[0], 'utf8')).toBe(SAMPLE_LOGS.stage1)
    expect(await fs.readFile(files[1], 'utf8')).toBe(SAMPLE_LOGS.stage2)
  })

  it('fails before any request when only half the key pair is given', async () => {
    const before = api.requests.length
    const run = await runAction({ inputs: inputs({ 'secret-access-key': SK }) })
    expectExitCode(run, 1)
    expect(run.annotations).toEqual([
      {
        level: 'error',
        title: 'Invalid input: access-key-id',
        message:
          "Input 'access-key-id' is incomplete: secret-access-key is set but access-key-id is empty; give both halves of the access key pair"
      }
    ])
    expect(api.requests.length).toBe(before)
    expect(secretLeaks(run, [SK])).toEqual([])
  })
})
