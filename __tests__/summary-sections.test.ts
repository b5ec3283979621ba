import { describe, expect, it } from '@jest/globals'
import { CodeArtsClient } from '../src/codearts/client.js'
import { createAuthenticator } from '../src/codearts/authenticator.js'
import { Limiter } from '../src/http/limiter.js'
import { DEFAULT_RETRY_POLICY } from '../src/http/retry.js'
import type { Section, SectionReader } from '../src/report/sections.js'
import { readSections } from '../src/report/summary.js'

describe('sections that read more than the run', () => {
  const client = new CodeArtsClient({
    endpoint: new URL('http://127.0.0.1:9'),
    authenticator: createAuthenticator({ method: 'token', token: 't' }),
    timeoutMs: 1000
  })
  const reader: SectionReader = {
    client,
    build: { recordId: 'r', jobBuild: { jobId: 'j', buildNumber: 7 } },
    options: { retry: DEFAULT_RETRY_POLICY }
  }
  const asked: SectionReader[] = []
  const reads: Section<string> = {
    read: async given => {
      asked.push(given)
      return `build ${given.build.jobBuild?.buildNumber}`
    },
    render: (_summary, _fit, answer) => (answer ? [answer] : [])
  }
  const fails: Section<string> = {
    read: async () => Promise.reject(new Error('HTTP 503')),
    render: () => ['never']
  }
  const plain: Section = { render: () => ['plain'] }

  it('gives each section what it read, and nothing to a section whose request failed', async () => {
    // The only slot is taken: nothing is asked until it is handed on.
    const limiter = new Limiter(1)
    let release = (): void => undefined
    const holder = limiter.run(() => new Promise<void>(resolve => (release = resolve)))
    const reading = readSections(reader, limiter, [reads, fails, plain])
    await new Promise(resolve => setImmediate(resolve))
    expect(asked).toEqual([])
    release()
    await holder
    const answers = await reading
    expect(asked.map(given => given.build)).toEqual([reader.build])
    expect(answers.get(reads)).toBe('build 7')
    expect(answers.has(fails)).toBe(false)
    expect(answers.has(plain)).toBe(false)
    client.dispose()
  })

  it('ends a request that takes longer than its limit, and leaves its section out', async () => {
    const hangs: Section<string> = {
      // Answers only when its signal ends it, as a request that never gets an answer does.
      read: async given =>
        new Promise((_resolve, reject) =>
          given.options.signal?.addEventListener('abort', () => reject(new Error('timed out')))
        ),
      render: () => ['never']
    }
    const started = Date.now()
    const answers = await readSections(reader, new Limiter(2), [hangs, reads], 50)
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(answers.has(hangs)).toBe(false)
    expect(answers.get(reads)).toBe('build 7')
  })
})
