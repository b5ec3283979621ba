import { describe, expect, it } from '@jest/globals'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import {
  RetriesExhaustedError,
  backoffDelay,
  isRetryable,
  parseRetryAfter,
  withRetries,
  type RetryPolicy
} from '../src/http/retry.js'
import { CodeArtsApiError } from '../src/codearts/api-error.js'
import { RequestTimeoutError, TransferError } from '../src/errors.js'
import { ExchangeRefusedError } from '../src/http/transport.js'
import { TransferWatchStream, contentLength } from '../src/http/transfer-watch.js'

const FAST: RetryPolicy = { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 4, retryAfterCapMs: 10 }

function networkError(code: string): Error {
  return Object.assign(new Error(code), { code })
}

describe('isRetryable', () => {
  it.each([408, 429, 500, 502, 503, 504])('retries HTTP %i', status => {
    expect(isRetryable(new CodeArtsApiError({ status }))).toBe(true)
  })

  it.each([400, 401, 403, 404, 409, 501])('does not retry HTTP %i', status => {
    expect(isRetryable(new CodeArtsApiError({ status }))).toBe(false)
  })

  it('retries a 400 only for the throttling code', () => {
    expect(isRetryable(new CodeArtsApiError({ status: 400, errorCode: 'CB.00060211' }))).toBe(true)
    expect(isRetryable(new CodeArtsApiError({ status: 400, errorCode: 'CB.00060200' }))).toBe(false)
    expect(
      isRetryable(new CodeArtsApiError({ status: 200, envelope: true, errorCode: 'CB.00060211' }))
    ).toBe(true)
    expect(
      isRetryable(new CodeArtsApiError({ status: 200, envelope: true, errorCode: 'CB.00060201' }))
    ).toBe(false)
  })

  it('retries network trouble and broken transfers, not local failures', () => {
    for (const code of ['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN']) {
      expect(isRetryable(networkError(code))).toBe(true)
    }
    expect(isRetryable(new RequestTimeoutError('no answer within 1 s'))).toBe(true)
    expect(isRetryable(new TransferError('stalled'))).toBe(true)
    expect(isRetryable(networkError('ENOSPC'))).toBe(false)
    expect(isRetryable(networkError('EACCES'))).toBe(false)
    const wording = { title: () => 'T', advice: 'A' }
    expect(isRetryable(new ExchangeRefusedError('redirect refused', 'x', wording))).toBe(false)
  })

  it('decides by type and code, never by the text of a message', () => {
    expect(isRetryable(new Error('Request timeout: /v1/log/x/task-log'))).toBe(false)
    expect(isRetryable(new Error('ECONNRESET'))).toBe(false)
    expect(isRetryable(new RequestTimeoutError('anything'))).toBe(true)
  })
})

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 10, 27, 12, 0, 0)
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3', now)).toBe(3000)
    expect(parseRetryAfter(' 0 ', now)).toBe(0)
    expect(parseRetryAfter('Fri, 27 Nov 2026 12:00:05 GMT', now)).toBe(5000)
    expect(parseRetryAfter('Fri, 27 Nov 2026 11:00:00 GMT', now)).toBe(0)
  })

  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined()
    expect(parseRetryAfter('soon', now)).toBeUndefined()
    expect(parseRetryAfter('-1', now)).toBeUndefined()
  })
})

describe('backoffDelay', () => {
  const policy: RetryPolicy = {
    maxAttempts: 9,
    baseDelayMs: 1000,
    maxDelayMs: 30_000,
    retryAfterCapMs: 120_000
  }

  it('draws from a doubling ceiling, capped (full jitter)', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(n => backoffDelay(n, policy, () => 0.999999))).toEqual([
      999, 1999, 3999, 7999, 15999, 29999, 29999
    ])
    expect(backoffDelay(3, policy, () => 0)).toBe(0)
  })

  it('honours Retry-After up to its cap', () => {
    expect(backoffDelay(1, policy, () => 0.5, 7000)).toBe(7000)
    expect(backoffDelay(1, policy, () => 0.5, 3_600_000)).toBe(120_000)
  })
})

describe('withRetries', () => {
  it('retries until success and reports each retry', async () => {
    const notices: string[] = []
    let calls = 0
    const result = await withRetries(
      async () => {
        calls++
        if (calls < 3) throw new CodeArtsApiError({ status: 502 })
        return 'ok'
      },
      FAST,
      { onRetry: n => notices.push(`${n.attempt}/${n.maxAttempts}`) }
    )
    expect(result).toBe('ok')
    expect(notices).toEqual(['1/4', '2/4'])
  })

  it('stops after maxAttempts with the count and the last cause', async () => {
    let calls = 0
    const failure = withRetries(async () => {
      calls++
      throw new CodeArtsApiError({ status: 503 })
    }, FAST)
    await expect(failure).rejects.toBeInstanceOf(RetriesExhaustedError)
    await expect(failure).rejects.toThrow(/\(gave up after 4 attempts\)$/)
    expect(calls).toBe(4)
  })

  it('fails at once on an error that is not retryable, and with one attempt', async () => {
    let calls = 0
    const notFound = new CodeArtsApiError({ status: 404 })
    await expect(
      withRetries(async () => {
        calls++
        throw notFound
      }, FAST)
    ).rejects.toBe(notFound)
    const busy = new CodeArtsApiError({ status: 503 })
    await expect(
      withRetries(async () => Promise.reject(busy), { ...FAST, maxAttempts: 1 })
    ).rejects.toBe(busy)
    expect(calls).toBe(1)
  })

  it('stops waiting when cancelled', async () => {
    const cancel = new AbortController()
    const slow: RetryPolicy = { ...FAST, baseDelayMs: 60_000, maxDelayMs: 60_000 }
    const started = Date.now()
    const failure = withRetries(
      async () => Promise.reject(new CodeArtsApiError({ status: 500 })),
      slow,
      {
        signal: cancel.signal,
        random: () => 0.5
      }
    )
    setTimeout(() => cancel.abort(new Error('cancelled')), 20)
    await expect(failure).rejects.toThrow('cancelled')
    expect(Date.now() - started).toBeLessThan(5000)
  })
})

describe('TransferWatchStream', () => {
  it('counts bytes and keeps the head', async () => {
    const monitor = new TransferWatchStream({ idleMs: 1000, expectedBytes: 6 })
    const chunks: Buffer[] = []
    await pipeline(
      Readable.from([Buffer.from('ab'), Buffer.from('cdef')]),
      monitor,
      async source => {
        for await (const chunk of source) chunks.push(chunk)
      }
    )
    expect(monitor.bytes).toBe(6)
    expect(monitor.head.toString()).toBe('abcd')
    expect(Buffer.concat(chunks).toString()).toBe('abcdef')
  })

  it('fails a body shorter than its Content-Length', async () => {
    await expect(
      pipeline(
        Readable.from([Buffer.from('abc')]),
        new TransferWatchStream({ idleMs: 1000, expectedBytes: 10 }),
        async source => {
          for await (const chunk of source) void chunk
        }
      )
    ).rejects.toThrow('the body ended after 3 of the 10 bytes its Content-Length announced')
  })

  it('fails when no data arrives within the idle time', async () => {
    const never = new Readable({ read() {} })
    await expect(
      pipeline(never, new TransferWatchStream({ idleMs: 50 }), async source => {
        for await (const chunk of source) void chunk
      })
    ).rejects.toThrow('no data for 0.05 s: the transfer stalled')
  })

  it('reads Content-Length only when it is a number', () => {
    expect(contentLength('123')).toBe(123)
    expect(contentLength('12a')).toBeUndefined()
    expect(contentLength(undefined)).toBeUndefined()
  })
})
