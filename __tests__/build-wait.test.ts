import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startCodeArts, type CodeArtsEmulator } from '../__fixtures__/codearts-server.js'
import { inProcessRun } from '../__fixtures__/in-process-run.js'
import { VirtualClock } from '../__fixtures__/virtual-clock.js'
import { pollUntil } from '../src/codearts/poll.js'
import { TOKEN } from '../__fixtures__/sample.js'
import { isBuildEnded } from '../src/codearts/status.js'
import { StepError } from '../src/errors.js'
import { findRecord } from '../src/run/find-record.js'
import { waitForBuild } from '../src/run/wait-for-build.js'

describe('isBuildEnded', () => {
  it.each([
    'success',
    'SUCCEEDED',
    'failed',
    'Failure',
    'fail',
    'error',
    'aborted',
    'cancelled',
    'canceled',
    'timeout',
    'stopped'
  ])('%s has ended', status => expect(isBuildEnded(status)).toBe(true))
  it.each(['running', 'queued', 'pending', '', 'unknown-word'])('%j means wait', status =>
    expect(isBuildEnded(status)).toBe(false)
  )
})

describe('pollUntil', () => {
  it('stops at the first accepted value', async () => {
    const values = ['queued', 'running', 'error', 'never asked']
    let calls = 0
    const result = await pollUntil(async () => values[calls++], isBuildEnded, {
      deadline: Date.now() + 10_000,
      pollMs: 1
    })
    expect(result).toEqual({ value: 'error', done: true })
    expect(calls).toBe(3)
  })

  it('gives up at the deadline with the last value, after deadline/pollMs + 1 calls, pollMs apart', async () => {
    const clock = new VirtualClock()
    const calls: number[] = []
    const start = clock.now()
    const result = await clock.drive(
      pollUntil(
        async () => {
          calls.push(clock.now() - start)
          return 'running'
        },
        isBuildEnded,
        { deadline: start + 100, pollMs: 25, clock }
      )
    )
    expect(result).toEqual({ value: 'running', done: false })
    expect(calls).toEqual([0, 25, 50, 75, 100])
  })

  it('never pauses past the deadline', async () => {
    const clock = new VirtualClock()
    const calls: number[] = []
    const start = clock.now()
    await clock.drive(
      pollUntil(
        async () => calls.push(clock.now() - start),
        () => false,
        {
          deadline: start + 50,
          pollMs: 30,
          clock
        }
      )
    )
    expect(calls).toEqual([0, 30, 50])
  })

  it('asks once when the deadline has passed', async () => {
    let calls = 0
    await pollUntil(
      async () => ++calls,
      () => false,
      { deadline: Date.now() - 1, pollMs: 1000 }
    )
    expect(calls).toBe(1)
  })

  it('ends with the error of a call that throws, and at once when aborted', async () => {
    await expect(
      pollUntil(
        () => Promise.reject(new Error('boom')),
        () => true,
        {
          deadline: Date.now() + 1000,
          pollMs: 1
        }
      )
    ).rejects.toThrow('boom')
    const cancel = new AbortController()
    const pending = pollUntil(async () => 'running', isBuildEnded, {
      deadline: Date.now() + 60_000,
      pollMs: 30_000,
      signal: cancel.signal
    })
    cancel.abort(new Error('cancelled by SIGTERM'))
    await expect(pending).rejects.toThrow('cancelled by SIGTERM')
  })
})

// A wait of a minute that runs out, in-process on a virtual clock: wait-minutes is whole
// minutes, so the bundle could only show this in a real minute.
describe('a wait that runs out', () => {
  const RUNNING = '00000000-0000-4000-9000-000000000002'
  const JOB = 'abcdefabcdefabcdefabcdefabcdef01'
  const INPUTS = { 'wait-minutes': '1', 'poll-seconds': '20' }
  let api: CodeArtsEmulator
  let clock: VirtualClock

  beforeAll(async () => {
    clock = new VirtualClock(() => api.activity())
    api = await startCodeArts({
      token: TOKEN,
      now: clock.now,
      info: { [RUNNING]: { status: 'running' } }
    })
  })
  afterAll(async () => api.close())

  /** When the requests to `path` arrived, from the wait's start. */
  function arrivals(path: string, since: number, startedAt: number): number[] {
    return api.requests
      .slice(since)
      .filter(r => r.path === path)
      .map(r => r.at - startedAt)
  }

  it('asks for the status every poll-seconds to the deadline, then gives the last status', async () => {
    const run = inProcessRun(api, clock, { 'record-id': RUNNING, ...INPUTS })
    const since = api.requests.length
    try {
      const outcome = await clock.drive(waitForBuild(run.ctx, RUNNING, run.wait))
      expect(outcome).toMatchObject({ status: 'running', end: 'timed-out' })
      expect(clock.now() - run.wait.startedAt).toBe(60_000)
      const polls = arrivals(`/v1/record/${RUNNING}/info`, since, run.wait.startedAt)
      expect(polls).toEqual([0, 20_000, 40_000, 60_000])
      expect(run.stdout()).toContain('Build status: running after 0 s\n')
      expect(run.stdout()).not.toContain('Build status: running after 20 s')
    } finally {
      run.close()
    }
  })

  it('asks for a record not registered yet every poll-seconds to the deadline, then fails naming it', async () => {
    const run = inProcessRun(api, clock, { 'job-id': JOB, 'build-number': '99', ...INPUTS })
    const since = api.requests.length
    try {
      const lookup = clock.drive(findRecord(run.ctx, { jobId: JOB, buildNumber: 99 }, run.wait))
      await expect(lookup).rejects.toThrow(StepError)
      await expect(lookup).rejects.toMatchObject({
        title: `Could not find build 99 of job ${JOB}`,
        message: expect.stringMatching(/404 CB.00060214 URL not found/)
      })
      const lookups = arrivals(`/v1/record/${JOB}/99/record-info`, since, run.wait.startedAt)
      expect(lookups).toEqual([0, 20_000, 40_000, 60_000])
      expect(run.stdout().match(/is not registered yet \(404\)/g)).toHaveLength(1)
    } finally {
      run.close()
    }
  })
})
