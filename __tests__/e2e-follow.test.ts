import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  startCodeArts,
  type CodeArtsEmulator,
  type LiveLogScript
} from '../__fixtures__/codearts-server.js'
import { expectExitCode, readStdout, runAction, terminateWhen } from '../__fixtures__/run-action.js'
import { SAMPLE_LOGS, TOKEN } from '../__fixtures__/sample.js'

const record = (n: number): string => `00000000-0000-4000-a000-${String(n).padStart(12, '0')}`
const job = (n: number): string => `${String(n).padStart(2, '0')}${'d'.repeat(30)}`
const STAGES = {
  s1: { execution_stage_name: 'stage1', display_name: 'Checkout', status: 'success', sequence: 1 },
  s2: { execution_stage_name: 'stage2', display_name: 'Build', status: 'success', sequence: 2 }
}

// A build's output with what a hostile or careless build prints: workflow commands, a
// stop-commands of its own, multi-byte characters and long lines.
const BUILD_OUTPUT = [
  '[INFO] checkout 编译开始 ✓',
  '::error::this build raises no annotation',
  '::add-mask::x',
  '::stop-commands::y',
  '::y::',
  '::set-output name=build-status::success',
  '::warning title=x::nor this',
  ...Array.from({ length: 40 }, (_, i) => `[INFO] step ${i}: ünïcödé ${'·'.repeat(i)} 🚀`),
  '[INFO] the last line, written after the last status poll',
  ''
].join('\n')
const OUTPUT_BYTES = Buffer.byteLength(BUILD_OUTPUT)
const LIVE = (n: number): string => `/v1/log/${job(n)}/1/real-time-log`

let api: CodeArtsEmulator

beforeAll(async () => {
  const records = [1, 2, 3, 4, 5, 6, 7].map(record)
  const script = (n: number, extra: Partial<LiveLogScript> = {}): LiveLogScript => ({
    text: BUILD_OUTPUT,
    recordId: record(n),
    written: [150, 420, 900, OUTPUT_BYTES],
    chunkBytes: 97,
    ...extra
  })
  const big = `${'[INFO] a long build writes a lot of output, line after line\n'.repeat(600_000)}`
  api = await startCodeArts({
    token: TOKEN,
    logs: Object.fromEntries(records.map(id => [id, SAMPLE_LOGS])),
    stages: Object.fromEntries(records.map(id => [id, STAGES])),
    jobs: Object.fromEntries(
      [1, 2, 3, 4, 5, 6, 7].map(n => [
        job(n),
        {
          nextBuildNumber: 1,
          recordIds: { 1: record(n) },
          // Four polls while the log grows; job 6 runs until it is stopped.
          statuses: n === 6 ? ['running'] : ['running', 'running', 'running', 'success']
        }
      ])
    ),
    liveLogs: {
      [`${job(1)}/1`]: script(1, { mixOffsetTypes: true, hasMoreAsString: true, emptyFirst: 1 }),
      [`${job(2)}/1`]: {
        text: big,
        recordId: record(2),
        written: [Buffer.byteLength(big)],
        chunkBytes: 3 * 1024 * 1024
      },
      // job 3 has none: the API answers 404.
      [`${job(4)}/1`]: script(4, {
        failFrom: {
          request: 3,
          answer: { status: 500, body: { error_code: 'CB.00060100', error_msg: 'internal' } }
        }
      }),
      [`${job(5)}/1`]: script(5, { backwardsAt: 3 }),
      [`${job(6)}/1`]: script(6, { written: [150, 300, 450, 600, 750, 900] }),
      [`${job(7)}/1`]: script(7)
    }
  })
})
afterAll(async () => api.close())

function start(n: number, extra: Record<string, string> = {}): Record<string, string> {
  return {
    token: TOKEN,
    endpoint: api.url,
    'start-build': 'true',
    'job-id': job(n),
    'wait-minutes': '1',
    'poll-seconds': '1',
    'max-attempts': '1',
    // Only what following raises: no upload outside Actions, no build error annotations.
    upload: 'false',
    'build-error-annotations': '0',
    ...extra
  }
}

/** The most requests to `path` that fall within one second. */
function peakPerSecond(since: number, path: string): number {
  const times = api.requests
    .slice(since)
    .filter(r => r.path === path)
    .map(r => r.at)
  let peak = 0
  for (const at of times) {
    peak = Math.max(peak, times.filter(t => t >= at && t < at + 1000).length)
  }
  return peak
}

describe('following a build', () => {
  it('prints a growing log once, in order, to its last line, raising nothing, then fetches the stages', async () => {
    const since = api.requests.length
    const run = await runAction({ inputs: start(1) })
    expectExitCode(run, 0)
    const read = readStdout(run.stdout)
    expect(read.inert).toBe(BUILD_OUTPUT)
    // Printed as it grew, poll after poll, not all at the end.
    expect(
      read.commands.filter(c => c.startsWith('::stop-commands::')).length
    ).toBeGreaterThanOrEqual(4)
    // Only the action's own commands: masks of its inputs, and its stop-commands blocks.
    const own = read.commands.filter(
      c => !/^::(stop-commands|debug|add-mask::MIIE|group|endgroup)/.test(c)
    )
    expect(own.filter(c => !/^::[0-9a-f]{32}::$/.test(c))).toEqual([])
    expect(run.annotations).toEqual([])
    expect(read.commands).not.toContain('::add-mask::x')
    expect(run.outputs['build-status']).toBe('success')
    // Status lines stay outside the blocks; the stage logs are fetched after the last line.
    expect(read.commands.length).toBeGreaterThan(0)
    expect(run.stdout).toMatch(/^Build status: running after \d+ s$/m)
    const requests = api.requests.slice(since)
    const lastLive = requests.map(r => r.path).lastIndexOf(LIVE(1))
    const firstStage = requests.findIndex(r => r.path.endsWith('/task-log'))
    expect(lastLive).toBeGreaterThan(0)
    expect(firstStage).toBeGreaterThan(lastLive)
    expect(JSON.parse(run.outputs.files)).toHaveLength(2)
    // Bounded: never more than 4 log requests in any one second.
    const live = requests.filter(r => r.path === LIVE(1))
    expect(peakPerSecond(since, LIVE(1))).toBeLessThanOrEqual(4)
    expect(live[0].query).toEqual({
      start_offset: '0',
      end_offset: '0',
      sort: 'AES',
      size: '1000'
    })
  }, 60_000)

  it('stops printing after 32 MiB with one notice, and keeps waiting', async () => {
    const run = await runAction({ inputs: start(2), timeoutMs: 60_000 })
    expectExitCode(run, 0)
    const read = readStdout(run.stdout)
    expect(Buffer.byteLength(read.inert)).toBeLessThanOrEqual(32 * 1024 * 1024)
    expect(Buffer.byteLength(read.inert)).toBeGreaterThan(20 * 1024 * 1024)
    expect(run.annotations).toEqual([
      expect.objectContaining({ level: 'notice', title: 'Live log cut short' })
    ])
    expect(run.outputs['build-status']).toBe('success')
    expect(JSON.parse(run.outputs.files)).toHaveLength(2)
  }, 60_000)

  it('falls back to status lines with one notice when the API answers 404', async () => {
    const since = api.requests.length
    const run = await runAction({ inputs: start(3) })
    expectExitCode(run, 0)
    expect(api.requests.slice(since).filter(r => r.path === LIVE(3))).toHaveLength(1)
    expect(run.annotations).toEqual([
      expect.objectContaining({ level: 'notice', title: 'Live log not available' })
    ])
    expect(run.stdout.match(/^Build status: /gm)).toHaveLength(2)
    expect(JSON.parse(run.outputs.files)).toHaveLength(2)
  })

  it('stops following with one warning when the API fails midway, and goes on waiting', async () => {
    const since = api.requests.length
    const run = await runAction({ inputs: start(4) })
    expectExitCode(run, 0)
    expect(api.requests.slice(since).filter(r => r.path === LIVE(4))).toHaveLength(3)
    expect(run.annotations).toEqual([
      expect.objectContaining({
        level: 'warning',
        title: 'Live log stopped',
        message: expect.stringMatching(/500.*The wait goes on with status lines/)
      })
    ])
    // What came before the failure was printed once, a prefix of the build's output.
    const { inert } = readStdout(run.stdout)
    expect(inert.length).toBeGreaterThan(0)
    expect(BUILD_OUTPUT.startsWith(inert.replace(/\n$/, ''))).toBe(true)
    expect(run.outputs['build-status']).toBe('success')
  })

  it('stops following with one warning when the end offset goes backwards', async () => {
    const run = await runAction({ inputs: start(5) })
    expectExitCode(run, 0)
    expect(run.annotations).toEqual([
      expect.objectContaining({
        level: 'warning',
        title: 'Live log stopped',
        message: expect.stringMatching(/end_offset of \d+, before the \d+ already read/)
      })
    ])
  })

  it('still sends the stop within 5 s of a SIGTERM mid-follow', async () => {
    const since = api.requests.length
    let sentAt = 0
    const run = await runAction({
      inputs: start(6, { 'wait-minutes': '5' }),
      during: async ({ child }) => {
        sentAt = await terminateWhen(
          child,
          () => api.requests.slice(since).filter(r => r.path === LIVE(6)).length >= 3
        )
      },
      timeoutMs: 20_000
    })
    expectExitCode(run, 1)
    const stops = api.stops.filter(s => s.jobId === job(6))
    expect(stops).toHaveLength(1)
    expect(stops[0].at - sentAt).toBeLessThan(5_000)
    expect(run.annotations).toEqual([
      expect.objectContaining({
        title: 'Cancelled',
        message: expect.stringContaining('CodeArts accepted the stop')
      })
    ])
  })

  it('asks nothing of the live log with follow-log: false', async () => {
    const since = api.requests.length
    const run = await runAction({ inputs: start(7, { 'follow-log': 'false' }) })
    expectExitCode(run, 0)
    expect(api.requests.slice(since).filter(r => r.path === LIVE(7))).toEqual([])
    expect(readStdout(run.stdout).inert).toBe('')
  })
})
