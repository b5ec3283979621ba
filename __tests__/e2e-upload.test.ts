import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import * as fs from 'node:fs/promises'
import * as path from 'node:path'
import { startCodeArts, type CodeArtsEmulator } from '../__fixtures__/codearts-server.js'
import { makeRuntimeToken } from '../__fixtures__/jwt.js'
import { startResultsService, type ResultsService } from '../__fixtures__/results-service.js'
import { expectExitCode, runAction } from '../__fixtures__/run-action.js'
import { RECORD_ID, SAMPLE_LOGS, TOKEN, sampleCompileError } from '../__fixtures__/sample.js'
import { readZip } from '../__fixtures__/zip.js'

let api: CodeArtsEmulator
let results: ResultsService

beforeAll(async () => {
  api = await startCodeArts({ token: TOKEN, logs: { [RECORD_ID]: SAMPLE_LOGS } })
  results = await startResultsService({ existingArtifactNames: ['taken-name'] })
})
afterAll(async () => {
  await api.close()
  await results.close()
})

function actionsEnv(): Record<string, string> {
  return {
    ACTIONS_RUNTIME_TOKEN: makeRuntimeToken('run-backend-1', 'job-backend-1'),
    ACTIONS_RESULTS_URL: results.url
  }
}

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'record-id': RECORD_ID,
    'task-names': 'stage1, stage2, stage3',
    token: TOKEN,
    endpoint: api.url,
    ...extra
  }
}

describe('artifact upload', () => {
  it('uploads every log at the root of one artifact and sets the artifact outputs', async () => {
    const run = await runAction({
      inputs: inputs({ 'artifact-name': 'logs-upload-1', 'retention-days': '5' }),
      env: actionsEnv()
    })
    expectExitCode(run, 0)
    // The only annotation: the compile error in stage2's log (an error; the step still passes).
    expect(run.annotations).toEqual([sampleCompileError('stage2')])
    const artifact = results.artifacts.find(a => a.name === 'logs-upload-1')
    expect(artifact).toBeDefined()
    const zip = readZip(artifact!.bytes)
    expect([...zip.keys()].sort()).toEqual(['stage1.log', 'stage2.log', 'stage3.log'])
    for (const stage of ['stage1', 'stage2', 'stage3']) {
      expect(zip.get(`${stage}.log`)!.toString('utf8')).toBe(SAMPLE_LOGS[stage])
    }
    expect(artifact!.workflowRunBackendId).toBe('run-backend-1')
    const days = (Date.parse(artifact!.expiresAt!) - Date.now()) / 86_400_000
    expect(days).toBeGreaterThan(4.9)
    expect(days).toBeLessThan(5.1)
    expect(run.outputs['artifact-id']).toBe(String(artifact!.id))
    expect(run.outputs['artifact-url']).toBe(
      `https://github.com/octo-org/octo-repo/actions/runs/4242/artifacts/${artifact!.id}`
    )
    expect(run.outputs['artifact-digest']).toBe(
      createHash('sha256').update(artifact!.bytes).digest('hex')
    )
    expect(run.summary).toContain(`[logs-upload-1](${run.outputs['artifact-url']})`)
  })

  it('uses codearts-build-logs-{record-id} as the default name and uploads what could be fetched', async () => {
    const run = await runAction({
      inputs: inputs({ 'task-names': 'stage1 stage9' }),
      env: actionsEnv()
    })
    expectExitCode(run, 1)
    const artifact = results.artifacts.find(a => a.name === `codearts-build-logs-${RECORD_ID}`)
    expect([...readZip(artifact!.bytes).keys()]).toEqual(['stage1.log'])
    expect(run.annotations.map(a => a.title)).toEqual([
      'CodeArts Build API error 404 (CB.00060214)'
    ])
    expect(run.outputs['artifact-id']).toBe(String(artifact!.id))
  })

  it('says how to fix an artifact name that is taken, and keeps the logs and their outputs', async () => {
    const run = await runAction({
      inputs: inputs({ 'artifact-name': 'taken-name' }),
      env: actionsEnv()
    })
    expectExitCode(run, 1)
    const errors = run.annotations.filter(a => a.level === 'error')
    // The action's own failure, then the compile error of stage2's log.
    expect(errors).toHaveLength(2)
    expect(errors[1]).toEqual(sampleCompileError('stage2'))
    expect(errors[0].title).toBe('Artifact upload failed')
    expect(errors[0].message).toContain('failed to upload the logs as artifact "taken-name"')
    expect(errors[0].message).toContain('409')
    expect(errors[0].message).toContain('give each job a unique artifact-name')
    const files: string[] = JSON.parse(run.outputs.files)
    expect(files).toHaveLength(3)
    for (const file of files) await expect(fs.stat(file)).resolves.toBeTruthy()
    expect(run.outputs['log-dir']).toBe(path.dirname(files[0]))
    expect(run.outputs['artifact-id']).toBe('')
  })

  it('does not upload with upload: false', async () => {
    const before = results.requests.length
    const run = await runAction({ inputs: inputs({ upload: 'false' }), env: actionsEnv() })
    expectExitCode(run, 0)
    expect(results.requests.length).toBe(before)
    expect(run.annotations).toEqual([sampleCompileError('stage2')])
  })
})
