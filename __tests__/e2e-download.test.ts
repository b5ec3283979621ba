import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs/promises'
import * as path from 'node:path'
import { startCodeArts, type CodeArtsEmulator } from '../__fixtures__/codearts-server.js'
import { expectExitCode, runAction, secretLeaks } from '../__fixtures__/run-action.js'

const RECORD = '2cc26382-b2cb-4234-8eb0-b37d362f4d4c'
const TOKEN = 'MIIE-test-token-value-0123456789'
const LOGS = {
  stage1: '[2025/06/26 14:23:32.169 GMT+08:00] [INFO] [code checkout] : cloning\n',
  stage2: '[2025/06/26 14:23:40.001 GMT+08:00] [ERROR] [build] : compile failed\n',
  stage3: 'x'.repeat(300_000)
}

let api: CodeArtsEmulator

beforeAll(async () => {
  api = await startCodeArts({ token: TOKEN, logs: { [RECORD]: LOGS } })
})
afterAll(async () => api.close())

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'record-id': RECORD,
    'task-names': 'stage1, stage2',
    token: TOKEN,
    endpoint: api.url,
    ...extra
  }
}

describe('downloading stages end to end', () => {
  it('saves every stage, sets outputs and skips the upload outside Actions', async () => {
    const run = await runAction({
      inputs: inputs({ 'task-names': 'stage1\nstage2 stage3,stage1' })
    })
    expect(run.stderr).toBe('')
    expectExitCode(run, 0)
    const dir = path.join(run.runnerTemp, 'codearts-build-logs', RECORD)
    expect(run.outputs['log-dir']).toBe(dir)
    const files = JSON.parse(run.outputs.files)
    expect(files).toEqual(['stage1', 'stage2', 'stage3'].map(s => path.join(dir, `${s}.log`)))
    for (const [stage, text] of Object.entries(LOGS)) {
      expect(await fs.readFile(path.join(dir, `${stage}.log`), 'utf8')).toBe(text)
    }
    expect(JSON.parse(run.outputs.stages).stage3).toEqual({
      file: path.join(dir, 'stage3.log'),
      bytes: 300_000,
      status: 'downloaded'
    })
    expect(run.outputs['failed-stages']).toBe('[]')
    expect(run.outputs['artifact-id']).toBe('')
    expect(run.annotations).toEqual([
      expect.objectContaining({ level: 'warning', title: 'Artifact upload skipped' })
    ])
    expect(run.annotations[0].message).toContain(dir)
    expect(secretLeaks(run, [TOKEN])).toEqual([])
  })
})
