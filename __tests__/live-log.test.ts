import { afterEach, describe, expect, it } from '@jest/globals'
import {
  startCodeArts,
  type CodeArtsEmulator,
  type LiveLogScript
} from '../__fixtures__/codearts-server.js'
import { inProcessRun, type InProcessRun } from '../__fixtures__/in-process-run.js'
import { parseAnnotations, readStdout } from '../__fixtures__/run-action.js'
import { CHATTY_LOG, TOKEN } from '../__fixtures__/sample.js'
import { VirtualClock } from '../__fixtures__/virtual-clock.js'
import { liveLogChunkOf } from '../src/codearts/live-log.js'
import { FOLLOW_PAUSE_MS } from '../src/constants.js'
import { LogFollower } from '../src/run/follow-log.js'
import { waitForBuild } from '../src/run/wait-for-build.js'
import { stopCommandsToken } from '../src/report/job-log.js'

describe('liveLogChunkOf', () => {
  it('reads offsets as numeric strings or numbers, and has_more as a boolean or a string', () => {
    expect(liveLogChunkOf({ has_more: true, end_offset: '24351', log: 'a\n' })).toEqual({
      hasMore: true,
      endOffset: 24351,
      log: 'a\n'
    })
    expect(liveLogChunkOf({ has_more: 'false', end_offset: 7, log: '' })).toEqual({
      hasMore: false,
      endOffset: 7,
      log: ''
    })
    expect(liveLogChunkOf({ has_more: 'true', end_offset: ' 12 ' }).hasMore).toBe(true)
  })

  it('gives NaN for an offset that is not a whole number, so following stops', () => {
    for (const end_offset of [undefined, '', '-1', '1.5', 'abc', -3, 2.5, null, {}]) {
      expect(liveLogChunkOf({ has_more: false, end_offset, log: 'x' }).endOffset).toBeNaN()
    }
  })

  it('keeps the log text as written: it is the build output, printed where commands are off', () => {
    const log = 'line 1\n::error::x\r\n\u2028tab\there\n'
    expect(liveLogChunkOf({ end_offset: '1', log }).log).toBe(log)
    expect(liveLogChunkOf({ end_offset: '1', log: 42 }).log).toBe('')
    expect(liveLogChunkOf(null).hasMore).toBe(false)
  })
})

describe('stopCommandsToken', () => {
  it('draws again when the text holds the token, so the text cannot end the block', () => {
    const draws = ['aaaa', 'bbbb']
    expect(stopCommandsToken('build prints ::aaaa:: here', () => draws.shift()!)).toBe('bbbb')
  })

  it('draws 32 hex digits by default, a new one each time', () => {
    const first = stopCommandsToken('')
    expect(first).toMatch(/^[0-9a-f]{32}$/)
    expect(stopCommandsToken('')).not.toBe(first)
  })

  it('gives up after a bounded number of draws', () => {
    expect(() => stopCommandsToken('xx', () => 'x')).toThrow(/could not draw/)
  })
})

// The follower against the emulator in-process, on a virtual clock: the pacing, the drain and
// the notices are checked in the clock's own time, exactly, whatever the machine's load.
describe('LogFollower, with waitForBuild, on a virtual clock', () => {
  const RECORD = '00000000-0000-4000-b000-000000000001'
  const JOB = `01${'e'.repeat(30)}`
  const KiB = 1024
  const CHATTY = CHATTY_LOG
  const CHATTY_BYTES = Buffer.byteLength(CHATTY)
  const INFO = `/v1/record/${RECORD}/info`
  const LIVE = `/v1/log/${JOB}/1/real-time-log`

  let api: CodeArtsEmulator
  let run: InProcessRun
  let clock: VirtualClock

  /** An emulated build whose live log is written at `script`'s pace, on the virtual clock. */
  async function follow(script: Omit<LiveLogScript, 'text' | 'recordId' | 'written'>) {
    clock = new VirtualClock(() => api.activity())
    api = await startCodeArts({
      token: TOKEN,
      now: clock.now,
      liveLogs: { [`${JOB}/1`]: { text: CHATTY, recordId: RECORD, written: [], ...script } }
    })
    run = inProcessRun(api, clock, {
      'record-id': RECORD,
      'wait-minutes': '1',
      'poll-seconds': '2',
      'max-attempts': '1'
    })
    const follower = new LogFollower(run.ctx, { jobId: JOB, buildNumber: 1 }, run.wait)
    const outcome = await clock.drive(waitForBuild(run.ctx, RECORD, run.wait, follower))
    const arrivals = (path: string): number[] =>
      api.requests.filter(r => r.path === path).map(r => r.at - run.wait.startedAt)
    const stdout = run.stdout()
    return {
      outcome,
      polls: arrivals(INFO),
      live: arrivals(LIVE),
      endedAt: clock.now() - run.wait.startedAt,
      inert: readStdout(stdout).inert,
      annotations: parseAnnotations(stdout)
    }
  }

  afterEach(async () => {
    run?.close()
    await api?.close()
  })

  /** Status polls exactly poll-seconds apart; live log requests at least 300 ms apart. */
  function expectPacing(polls: number[], live: number[]): void {
    expect(polls.length).toBeGreaterThanOrEqual(3)
    expect(polls.slice(1).map((at, i) => at - polls[i])).toEqual(polls.slice(1).map(() => 2000))
    const gaps = live.slice(1).map((at, i) => at - live[i])
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(FOLLOW_PAUSE_MS)
  }

  it('keeps the polls on time, reads at most 4 a second, drains at most 10 s, and says it fell behind', async () => {
    // Written in 10 s: far faster than answers of 4 KiB, at most 4 a second, can carry.
    const seen = await follow({
      writtenPerSecond: Math.ceil(CHATTY_BYTES / 10),
      chunkBytes: 4 * KiB
    })
    expect(seen.outcome).toMatchObject({ status: 'success', end: 'ended' })
    expectPacing(seen.polls, seen.live)
    // The last poll saw the end; the drain reads on until 10 s after it, and no longer.
    const endSeen = seen.polls[seen.polls.length - 1]
    expect(seen.endedAt - endSeen).toBe(10_000)
    const lastRead = seen.live[seen.live.length - 1] - endSeen
    expect(lastRead).toBeGreaterThanOrEqual(10_000 - FOLLOW_PAUSE_MS)
    expect(lastRead).toBeLessThan(10_000)

    // The log's exact beginning, each line once, to the end of a line; far from all of it.
    const shown = Buffer.byteLength(seen.inert)
    expect(CHATTY.startsWith(seen.inert)).toBe(true)
    expect(seen.inert.endsWith('\n')).toBe(true)
    expect(shown).toBeGreaterThan(8 * KiB)
    expect(shown).toBeLessThan(CHATTY_BYTES / 2)
    expect(seen.outcome.logCut).toEqual({ shownBytes: shown })
    expect(seen.annotations).toEqual([
      {
        level: 'notice',
        title: 'Live log behind',
        message: expect.stringContaining('the stage logs are fetched whole when the build ends')
      }
    ])
  })

  it('shows the whole log once, with no notice, when the answers keep pace', async () => {
    const seen = await follow({
      writtenPerSecond: Math.ceil(CHATTY_BYTES / 10),
      chunkBytes: 1024 * KiB
    })
    expect(seen.outcome).toMatchObject({ status: 'success', end: 'ended', logCut: undefined })
    expectPacing(seen.polls, seen.live)
    expect(seen.inert).toBe(CHATTY)
    expect(seen.annotations).toEqual([])
  })

  it('does not call answers that hand out nothing behind, however many say more is ready', async () => {
    // Written in 12 s; the first 30 answers say more is ready but hand out nothing.
    const seen = await follow({
      writtenPerSecond: Math.ceil(CHATTY_BYTES / 12),
      chunkBytes: 1024 * KiB,
      emptyFirst: 30
    })
    expectPacing(seen.polls, seen.live)
    // Well over 5 s of answers (the 2nd to the 30th: the first had nothing written yet) saying
    // has_more with the end offset standing still.
    expect(seen.live[29] - seen.live[1]).toBe(28 * FOLLOW_PAUSE_MS)
    expect(seen.inert).toBe(CHATTY)
    expect(seen.annotations).toEqual([])
  })

  it('stops at the end of a wait that runs out, with the unfinished line printed', async () => {
    // Written in 100 s: the wait of a minute runs out first.
    const seen = await follow({
      writtenPerSecond: Math.ceil(CHATTY_BYTES / 100),
      chunkBytes: 1024 * KiB
    })
    expect(seen.outcome).toEqual({ status: 'running', end: 'timed-out', record: expect.anything() })
    expect(seen.polls).toEqual(Array.from({ length: 31 }, (_, i) => i * 2000))
    expect(seen.endedAt).toBe(60_000)
    expect(seen.live[seen.live.length - 1]).toBeLessThan(60_000)
    expectPacing(seen.polls, seen.live)
    expect(CHATTY.startsWith(seen.inert)).toBe(true)
    expect(Buffer.byteLength(seen.inert)).toBeGreaterThan(CHATTY_BYTES / 2)
    expect(seen.annotations).toEqual([])
  })
})
