import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startCodeArts, type CodeArtsEmulator } from '../__fixtures__/codearts-server.js'
import { makeRuntimeToken } from '../__fixtures__/jwt.js'
import { startResultsService, type ResultsService } from '../__fixtures__/results-service.js'
import { expectExitCode, readStdout, runAction } from '../__fixtures__/run-action.js'
import { SAMPLE_LOGS, TOKEN } from '../__fixtures__/sample.js'

const record = (n: number): string => `00000000-0000-4000-b000-${String(n).padStart(12, '0')}`
const job = (n: number): string => `${String(n).padStart(2, '0')}${'e'.repeat(30)}`
const STAGES = {
  s1: { execution_stage_name: 'stage1', display_name: 'Checkout', status: 'success', sequence: 1 },
  s2: { execution_stage_name: 'stage2', display_name: 'Build', status: 'success', sequence: 2 }
}
const KiB = 1024

// A chatty build: numbered lines, so a text that is the log's exact beginning holds each line once.
const LINES = Array.from(
  { length: 12_000 },
  (_, i) => `[INFO] line ${String(i).padStart(6, '0')} of a chatty build, written fast ✓`
)
const CHATTY = `${LINES.join('\n')}\n`
const CHATTY_BYTES = Buffer.byteLength(CHATTY)
// Written in about 10 s: far faster than answers of 4 KiB, at most 4 a second, can carry.
const RATE = Math.ceil(CHATTY_BYTES / 10)
const LIVE = (n: number): string => `/v1/log/${job(n)}/1/real-time-log`
const INFO = (n: number): string => `/v1/record/${record(n)}/info`

let api: CodeArtsEmulator
let results: ResultsService

beforeAll(async () => {
  results = await startResultsService()
  const ns = [1, 2, 3, 4]
  api = await startCodeArts({
    token: TOKEN,
    logs: Object.fromEntries(ns.map(n => [record(n), SAMPLE_LOGS])),
    stages: Object.fromEntries(ns.map(n => [record(n), STAGES])),
    jobs: Object.fromEntries(
      ns.map(n => [
        job(n),
        { nextBuildNumber: 1, recordIds: { 1: record(n) }, statuses: ['running'] }
      ])
    ),
    liveLogs: {
      [`${job(1)}/1`]: {
        text: CHATTY,
        recordId: record(1),
        written: [],
        writtenPerSecond: RATE,
        chunkBytes: 4 * KiB
      },
      [`${job(2)}/1`]: {
        text: CHATTY,
        recordId: record(2),
        written: [],
        writtenPerSecond: RATE,
        chunkBytes: 1024 * KiB
      },
      [`${job(3)}/1`]: {
        text: CHATTY,
        recordId: record(3),
        written: [],
        writtenPerSecond: Math.ceil(CHATTY_BYTES / 3),
        chunkBytes: 4 * KiB
      },
      // Written in 12 s; the first 30 answers say more is ready but hand out nothing.
      [`${job(4)}/1`]: {
        text: CHATTY,
        recordId: record(4),
        written: [],
        writtenPerSecond: Math.ceil(CHATTY_BYTES / 12),
        chunkBytes: 1024 * KiB,
        emptyFirst: 30
      }
    }
  })
})
afterAll(async () => {
  await api.close()
  await results.close()
})

function start(n: number): Record<string, string> {
  return {
    token: TOKEN,
    endpoint: api.url,
    'start-build': 'true',
    'job-id': job(n),
    'wait-minutes': '1',
    'poll-seconds': '2',
    'max-attempts': '1',
    upload: 'false',
    'build-error-annotations': '0'
  }
}

/** Arrival times (epoch ms) of the requests to `path` since request number `since`. */
function arrivals(since: number, path: string): number[] {
  return api.requests
    .slice(since)
    .filter(r => r.path === path)
    .map(r => r.at)
}

/** The most of `times` that fall within one second. */
function peakPerSecond(times: number[]): number {
  return Math.max(0, ...times.map(at => times.filter(t => t >= at && t < at + 1000).length))
}

/** Expects status polls 2 s apart, give or take the 1 s the issue allows. */
function expectPollCadence(polls: number[]): void {
  expect(polls.length).toBeGreaterThanOrEqual(3)
  for (let i = 1; i < polls.length; i++) {
    expect(polls[i] - polls[i - 1]).toBeGreaterThanOrEqual(1950)
    expect(polls[i] - polls[i - 1]).toBeLessThanOrEqual(3000)
  }
}

describe('following a build that writes faster than the live log is handed out', () => {
  it('keeps the polls on time, reads at most 4 a second, drains at most 10 s, and says what the job log shows', async () => {
    const since = api.requests.length
    const run = await runAction({ inputs: start(1), timeoutMs: 60_000 })
    expectExitCode(run, 0)
    expect(run.outputs['build-status']).toBe('success')

    const polls = arrivals(since, INFO(1))
    expectPollCadence(polls)
    const live = arrivals(since, LIVE(1))
    expect(peakPerSecond(live)).toBeLessThanOrEqual(4)
    // The last poll saw the end; the drain's last request is at most 10 s later, the stage logs right after.
    const endSeen = polls[polls.length - 1]
    expect(live[live.length - 1] - endSeen).toBeLessThanOrEqual(10_000)
    expect(live[live.length - 1] - endSeen).toBeGreaterThan(8_000)
    const firstStage = api.requests.slice(since).find(r => r.path.endsWith('/task-log'))
    expect(firstStage!.at - endSeen).toBeLessThanOrEqual(11_000)

    // The log's exact beginning, each line once, to the end of a line; far from all of it.
    const { inert } = readStdout(run.stdout)
    const shown = Buffer.byteLength(inert)
    expect(CHATTY.startsWith(inert)).toBe(true)
    expect(inert.endsWith('\n')).toBe(true)
    expect(shown).toBeGreaterThan(8 * KiB)
    expect(shown).toBeLessThan(CHATTY_BYTES / 2)

    expect(run.annotations).toEqual([
      {
        level: 'notice',
        title: 'Live log behind',
        message: expect.stringContaining('the stage logs are fetched whole when the build ends')
      },
      {
        level: 'notice',
        title: 'Live log not shown whole',
        message: `The job log shows the first ${(shown / KiB).toFixed(1)} KiB of the build's log; the rest is in the stage logs (log folder ${run.outputs['log-dir']}).`
      }
    ])
    expect(JSON.parse(run.outputs.files)).toHaveLength(2)
  }, 60_000)

  it('shows the whole log once, with no notice, when the answers keep pace', async () => {
    const since = api.requests.length
    const run = await runAction({ inputs: start(2), timeoutMs: 60_000 })
    expectExitCode(run, 0)
    expectPollCadence(arrivals(since, INFO(2)))
    expect(peakPerSecond(arrivals(since, LIVE(2)))).toBeLessThanOrEqual(4)
    expect(readStdout(run.stdout).inert).toBe(CHATTY)
    expect(run.annotations).toEqual([])
  }, 60_000)

  it('does not call answers that hand out nothing, however many say more is ready, falling behind', async () => {
    const since = api.requests.length
    const run = await runAction({ inputs: start(4), timeoutMs: 60_000 })
    expectExitCode(run, 0)
    const live = arrivals(since, LIVE(4))
    // More than 5 s of answers (the 2nd to the 30th, the first had nothing written yet) saying
    // has_more with the end offset standing still.
    expect(live[Math.min(29, live.length - 1)] - live[1]).toBeGreaterThan(5_500)
    expect(readStdout(run.stdout).inert).toBe(CHATTY)
    expect(run.annotations).toEqual([])
  }, 60_000)

  it('names the artifact as where the rest is when the logs are uploaded', async () => {
    const run = await runAction({
      inputs: { ...start(3), upload: 'true' },
      env: {
        ACTIONS_RUNTIME_TOKEN: makeRuntimeToken('run-backend-1', 'job-backend-1'),
        ACTIONS_RESULTS_URL: results.url
      },
      timeoutMs: 60_000
    })
    expectExitCode(run, 0)
    const { inert } = readStdout(run.stdout)
    expect(CHATTY.startsWith(inert)).toBe(true)
    const name = `codearts-build-logs-${record(3)}`
    expect(run.annotations).toEqual([
      {
        level: 'notice',
        title: 'Live log not shown whole',
        message: `The job log shows the first ${(Buffer.byteLength(inert) / KiB).toFixed(1)} KiB of the build's log; the rest is in the stage logs (log folder ${run.outputs['log-dir']}, to be uploaded as artifact ${name}).`
      }
    ])
    expect(results.artifacts.map(a => a.name)).toEqual([name])
  }, 60_000)
})
