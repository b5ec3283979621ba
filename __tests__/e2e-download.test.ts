import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs/promises'
import * as path from 'node:path'
import { gunzipSync } from 'node:zlib'
import {
  startCodeArts,
  type CodeArtsEmulator,
  type ReceivedRequest
} from '../__fixtures__/codearts-server.js'
import { expectExitCode, runAction, secretLeaks } from '../__fixtures__/run-action.js'
import { makeTempDir } from '../__fixtures__/temp-dirs.js'
import { RECORD_ID, SAMPLE_LOGS, TOKEN, sampleCompileError } from '../__fixtures__/sample.js'

let api: CodeArtsEmulator

beforeAll(async () => {
  api = await startCodeArts({
    token: TOKEN,
    logs: { [RECORD_ID]: SAMPLE_LOGS },
    responses: {
      stage7: {
        status: 502,
        headers: { 'Content-Type': 'text/html' },
        body: '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>'
      },
      stage8: { status: 500, body: '' }
    }
  })
})
afterAll(async () => api.close())

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'record-id': RECORD_ID,
    'task-names': 'stage1, stage2',
    token: TOKEN,
    endpoint: api.url,
    ...extra
  }
}

/** The log requests the emulator received since `before` (the stage list is asked for beside them). */
function logRequests(before: number): ReceivedRequest[] {
  return api.requests.slice(before).filter(r => r.path.endsWith('/task-log'))
}

function logDir(runnerTemp: string): string {
  return path.join(runnerTemp, 'codearts-build-logs', RECORD_ID)
}

describe('downloading stages end to end', () => {
  it('saves every stage in task-names order, sets outputs and skips the upload outside Actions', async () => {
    const run = await runAction({
      inputs: inputs({ 'task-names': 'stage3\nstage1 stage2,stage3' })
    })
    expectExitCode(run, 0)
    expect(run.stderr).toBe('')
    const dir = logDir(run.runnerTemp)
    expect(run.outputs['log-dir']).toBe(dir)
    expect(JSON.parse(run.outputs.files)).toEqual(
      ['stage3', 'stage1', 'stage2'].map(s => path.join(dir, `${s}.log`))
    )
    for (const stage of ['stage1', 'stage2', 'stage3']) {
      expect(await fs.readFile(path.join(dir, `${stage}.log`), 'utf8')).toBe(SAMPLE_LOGS[stage])
    }
    expect(await fs.readdir(dir)).toHaveLength(3)
    expect(JSON.parse(run.outputs.stages)).toEqual({
      stage3: {
        file: path.join(dir, 'stage3.log'),
        bytes: Buffer.byteLength(SAMPLE_LOGS.stage3),
        status: 'downloaded'
      },
      stage1: {
        file: path.join(dir, 'stage1.log'),
        bytes: Buffer.byteLength(SAMPLE_LOGS.stage1),
        status: 'downloaded'
      },
      stage2: {
        file: path.join(dir, 'stage2.log'),
        bytes: Buffer.byteLength(SAMPLE_LOGS.stage2),
        status: 'downloaded'
      }
    })
    expect(run.outputs['failed-stages']).toBe('[]')
    expect(run.outputs['artifact-id']).toBe('')
    expect(run.outputs['artifact-url']).toBe('')
    // The log's one [ERROR] line is a recognised compile error: an error, and no warning.
    expect(run.annotations).toEqual([
      expect.objectContaining({ level: 'warning', title: 'Artifact upload skipped' }),
      sampleCompileError('stage2')
    ])
    expect(JSON.parse(run.outputs['build-errors'])).toEqual([
      { message: 'cannot find symbol', stage: 'stage2' }
    ])
    expect(run.outputs['failed-tests']).toBe('[]')
    expect(run.annotations[0].message).toContain(dir)
    expect(run.summary).toContain('| stage2 | `stage2.log` | 257 B | 3 | 1 | 1 |')
    expect(run.summary).toContain('| stage3 | `stage3.log` | 293.0 KiB | 5000 | 0 | 0 |')
    expect(run.summary).toContain('<details><summary>stage2: first error, line 2</summary>')
    expect(run.stdout).toContain('::group::stage2: 257 B, 3 lines, 1 errors, 1 warnings in ')
    expect(secretLeaks(run, [TOKEN])).toEqual([])
  })

  it('sends the documented query and the token header', async () => {
    const before = api.requests.length
    const run = await runAction({
      inputs: inputs({ 'task-names': 'stage1', 'log-level': 'debug' })
    })
    expectExitCode(run, 0)
    const [request] = logRequests(before)
    expect(request.path).toBe(`/v1/log/${RECORD_ID}/task-log`)
    expect(request.query).toEqual({ task_name: 'stage1', log_level: 'DEBUG', compress: 'false' })
    expect(request.headers['x-auth-token']).toBe(TOKEN)
  })

  it('fetches a 404 stage among good ones, saves the good ones and fails naming the bad one', async () => {
    const run = await runAction({ inputs: inputs({ 'task-names': 'stage1, stage9, stage2' }) })
    expectExitCode(run, 1)
    const dir = logDir(run.runnerTemp)
    expect(JSON.parse(run.outputs.files)).toEqual([
      path.join(dir, 'stage1.log'),
      path.join(dir, 'stage2.log')
    ])
    expect(run.outputs['failed-stages']).toBe('["stage9"]')
    const stage9 = JSON.parse(run.outputs.stages).stage9
    expect(stage9).toMatchObject({ file: null, bytes: 0, status: 'failed' })
    const errors = run.annotations.filter(a => a.level === 'error')
    // The download failure first, then the compile error of the log it did fetch.
    expect(errors).toHaveLength(2)
    expect(errors[1]).toEqual(sampleCompileError('stage2'))
    expect(errors[0].title).toBe('CodeArts Build API error 404 (CB.00060214)')
    expect(errors[0].message).toMatch(
      new RegExp(
        `^failed to download stage9 of record ${RECORD_ID}: 404 CB.00060214 URL not found \\(request ID [0-9a-f-]{36}\\)\\. Check the record ID, that the stage exists`
      )
    )
    expect(stage9.error).toBe(errors[0].message)
    expect(await fs.readdir(dir)).toEqual(['stage1.log', 'stage2.log'])
  })

  it('turns a 401 into an annotation about the token', async () => {
    const run = await runAction({
      inputs: inputs({ token: 'expired-token-value', 'task-names': 'stage1' })
    })
    expectExitCode(run, 1)
    const [error] = run.annotations.filter(a => a.level === 'error')
    expect(error.title).toBe('CodeArts Build API error 401 (APIGW.0301)')
    expect(error.message).toContain('stage1')
    expect(error.message).toContain('Incorrect IAM authentication information')
    expect(error.message).toMatch(/request ID [0-9a-f-]{36}/)
    expect(error.message).toContain('IAM tokens expire after 24 hours')
    expect(secretLeaks(run, ['expired-token-value'])).toEqual([])
  })

  it('gives a readable message for an HTML or empty error body', async () => {
    const run = await runAction({
      inputs: inputs({ 'task-names': 'stage7 stage8', 'max-attempts': '1' })
    })
    expectExitCode(run, 1)
    const errors = run.annotations.filter(a => a.level === 'error')
    expect(errors.map(e => e.title)).toEqual([
      'CodeArts Build API error 502',
      'CodeArts Build API error 500'
    ])
    expect(errors[0].message).toContain(
      'failed to download stage7 of record 2cc26382-b2cb-4234-8eb0-b37d362f4d4c: 502 (body: 502 Bad Gateway 502 Bad Gateway nginx)'
    )
    expect(errors[1].message).toContain('500 (body: (empty body))')
  })

  it('only warns with fail-on-error: false', async () => {
    const run = await runAction({
      inputs: inputs({ 'task-names': 'stage1 stage9', 'fail-on-error': 'false' })
    })
    expectExitCode(run, 0)
    expect(run.annotations.filter(a => a.level === 'error')).toEqual([])
    expect(run.annotations).toContainEqual(
      expect.objectContaining({
        level: 'warning',
        title: 'CodeArts Build API error 404 (CB.00060214)'
      })
    )
    expect(run.outputs['failed-stages']).toBe('["stage9"]')
  })

  it('names a compressed log after its bytes: gzip becomes .log.gz', async () => {
    const before = api.requests.length
    const run = await runAction({ inputs: inputs({ 'task-names': 'stage2', compress: 'true' }) })
    expectExitCode(run, 0)
    expect(logRequests(before)[0].query.compress).toBe('true')
    const file = path.join(logDir(run.runnerTemp), 'stage2.log.gz')
    expect(JSON.parse(run.outputs.files)).toEqual([file])
    expect(gunzipSync(await fs.readFile(file)).toString('utf8')).toBe(SAMPLE_LOGS.stage2)
  })

  it('writes to a path relative to the workspace', async () => {
    const run = await runAction({
      inputs: inputs({ 'task-names': 'stage1', path: 'logs/codearts' })
    })
    expectExitCode(run, 0)
    const dir = path.join(run.workspace, 'logs', 'codearts')
    expect(run.outputs['log-dir']).toBe(dir)
    expect(await fs.readFile(path.join(dir, 'stage1.log'), 'utf8')).toBe(SAMPLE_LOGS.stage1)
  })

  it('asks V8 for a young-generation collection every 4 MiB received, across stages', async () => {
    const big = (ch: string): string => `[INFO] ${ch.repeat(1000)}\n`.repeat(5 * 1024)
    const logs = { stage1: big('a'), stage2: big('b') }
    const server = await startCodeArts({ token: TOKEN, logs: { [RECORD_ID]: logs } })
    try {
      const run = await runAction({
        inputs: inputs({ endpoint: server.url }),
        env: { RUNNER_DEBUG: '1' }
      })
      expectExitCode(run, 0)
      const dir = logDir(run.runnerTemp)
      expect(await fs.readFile(path.join(dir, 'stage2.log'), 'utf8')).toBe(logs.stage2)
      // 2 × 5,160,960 bytes: the 4 MiB mark is passed twice, never three times.
      expect(run.stdout).toContain(
        '::debug::Asked V8 for 2 young-generation and 0 full collections while receiving the logs'
      )
    } finally {
      await server.close()
    }
  })

  it('replaces the logs an earlier run left in the same folder', async () => {
    const dir = await makeTempDir('cbl-reuse-')
    await fs.writeFile(path.join(dir, 'stage1.log'), 'an older and much longer log '.repeat(100))
    await fs.writeFile(path.join(dir, 'stage1.log.gz'), 'stale compressed log')
    await fs.writeFile(path.join(dir, 'stage9.log'), 'a stage that no longer exists')
    const run = await runAction({
      inputs: inputs({ 'task-names': 'stage1 stage9', path: dir, 'max-attempts': '1' })
    })
    expectExitCode(run, 1)
    expect(await fs.readdir(dir)).toEqual(['stage1.log'])
    expect(await fs.readFile(path.join(dir, 'stage1.log'), 'utf8')).toBe(SAMPLE_LOGS.stage1)
  })
})

describe('concurrency', () => {
  it('fetches stages in parallel but never more than the bound', async () => {
    const stages = Array.from({ length: 10 }, (_, i) => `stage${i + 1}`)
    const slow = await startCodeArts({
      token: TOKEN,
      delayMs: 150,
      logs: { [RECORD_ID]: Object.fromEntries(stages.map(s => [s, `${s}\n`])) }
    })
    try {
      const run = await runAction({
        inputs: inputs({ endpoint: slow.url, 'task-names': stages.join(','), concurrency: '3' })
      })
      expectExitCode(run, 0)
      expect(JSON.parse(run.outputs.files)).toHaveLength(10)
      expect(slow.maxInFlight()).toBe(3)
    } finally {
      await slow.close()
    }
  })
})
