import { describe, expect, it } from '@jest/globals'
import { pollUntil } from '../src/codearts/poll.js'
import { isBuildEnded } from '../src/codearts/status.js'

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

  it('gives up at the deadline with the last value, after at most deadline/pollMs + 1 calls', async () => {
    let calls = 0
    const result = await pollUntil(
      async () => {
        calls++
        return 'running'
      },
      isBuildEnded,
      { deadline: Date.now() + 100, pollMs: 25 }
    )
    expect(result).toEqual({ value: 'running', done: false })
    expect(calls).toBeGreaterThanOrEqual(2)
    expect(calls).toBeLessThanOrEqual(5)
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
