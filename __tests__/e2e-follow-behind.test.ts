/**
 * Following a build whose log is written faster than the live log API hands it out, as a user
 * sees it: the job log shows the log's exact beginning, and a notice says where the rest is.
 * The pacing, the drain's bound and the "Live log behind" notice are checked in-process on a
 * virtual clock (live-log.test.ts); this run asserts on what it printed and counts only.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startCodeArts, type CodeArtsEmulator } from '../__fixtures__/codearts-server.js'
import { makeRuntimeToken } from '../__fixtures__/jwt.js'
import { startResultsService, type ResultsService } from '../__fixtures__/results-service.js'
import { expectExitCode, readStdout, runAction } from '../__fixtures__/run-action.js'
import { CHATTY_LOG, SAMPLE_LOGS, TOKEN } from '../__fixtures__/sample.js'

const RECORD = '00000000-0000-4000-b000-000000000003'
const JOB = `03${'e'.repeat(30)}`
const STAGES = {
  s1: { execution_stage_name: 'stage1', display_name: 'Checkout', status: 'success', sequence: 1 },
  s2: { execution_stage_name: 'stage2', display_name: 'Build', status: 'success', sequence: 2 }
}
const KiB = 1024

const CHATTY = CHATTY_LOG
const CHATTY_BYTES = Buffer.byteLength(CHATTY)

let api: CodeArtsEmulator
let results: ResultsService

beforeAll(async () => {
  results = await startResultsService()
  api = await startCodeArts({
    token: TOKEN,
    logs: { [RECORD]: SAMPLE_LOGS },
    stages: { [RECORD]: STAGES },
    jobs: { [JOB]: { nextBuildNumber: 1, recordIds: { 1: RECORD }, statuses: ['running'] } },
    liveLogs: {
      // Written in about 3 s: answers of 4 KiB, at most 4 a second, carry far less.
      [`${JOB}/1`]: {
        text: CHATTY,
        recordId: RECORD,
        written: [],
        writtenPerSecond: Math.ceil(CHATTY_BYTES / 3),
        chunkBytes: 4 * KiB
      }
    }
  })
})
afterAll(async () => {
  await api.close()
  await results.close()
})

describe('following a build that writes faster than the live log is handed out', () => {
  it('shows the exact beginning of the log and names the artifact the rest is uploaded as', async () => {
    const run = await runAction({
      inputs: {
        token: TOKEN,
        endpoint: api.url,
        'start-build': 'true',
        'job-id': JOB,
        'wait-minutes': '1',
        'poll-seconds': '2',
        'max-attempts': '1',
        'build-error-annotations': '0'
      },
      env: {
        ACTIONS_RUNTIME_TOKEN: makeRuntimeToken('run-backend-1', 'job-backend-1'),
        ACTIONS_RESULTS_URL: results.url
      },
      timeoutMs: 60_000
    })
    expectExitCode(run, 0)
    expect(run.outputs['build-status']).toBe('success')
    const paths = api.requests.map(r => r.path)
    expect(paths.filter(p => p === `/v1/record/${RECORD}/info`).length).toBeGreaterThanOrEqual(2)
    expect(paths.filter(p => p === `/v1/log/${JOB}/1/real-time-log`).length).toBeGreaterThan(2)

    // The log's exact beginning, each line once, to the end of a line; far from all of it.
    const { inert } = readStdout(run.stdout)
    const shown = Buffer.byteLength(inert)
    expect(CHATTY.startsWith(inert)).toBe(true)
    expect(inert.endsWith('\n')).toBe(true)
    expect(shown).toBeGreaterThan(4 * KiB)
    expect(shown).toBeLessThan(CHATTY_BYTES / 2)

    const name = `codearts-build-logs-${RECORD}`
    expect(run.annotations).toEqual([
      {
        level: 'notice',
        title: 'Live log not shown whole',
        message: `The job log shows the first ${(shown / KiB).toFixed(1)} KiB of the build's log; the rest is in the stage logs (log folder ${run.outputs['log-dir']}, to be uploaded as artifact ${name}).`
      }
    ])
    expect(results.artifacts.map(a => a.name)).toEqual([name])
    expect(JSON.parse(run.outputs.files)).toHaveLength(2)
  }, 60_000)
})
