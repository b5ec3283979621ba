import { describe, expect, it } from '@jest/globals'
import { parseParameters } from '../src/inputs/build-request.js'
import { startBody, startedBuildNumber } from '../src/codearts/build-start.js'
import { stopAnswerOf } from '../src/codearts/build-stop.js'
import { RetriesExhaustedError, provesNothingHappened } from '../src/http/retry.js'
import { CodeArtsApiError } from '../src/codearts/api-error.js'
import { InputError, UnexpectedResponseError } from '../src/errors.js'
import { buildVerdict } from '../src/report/build-verdict.js'
import { describeRequest, mayHaveStarted } from '../src/run/start-build.js'

const JOB = 'f'.repeat(32)

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(code), { code })
}

describe('parseParameters', () => {
  it('keeps everything after the first = as the value, and skips blank lines', () => {
    expect(parseParameters('A=x=y\r\n\n  \nB=\nC= spaced ')).toEqual([
      { name: 'A', value: 'x=y' },
      { name: 'B', value: '' },
      { name: 'C', value: ' spaced ' }
    ])
  })

  it('never puts a value into its message', () => {
    const refuse = (raw: string): string => {
      try {
        parseParameters(raw)
      } catch (error) {
        expect(error).toBeInstanceOf(InputError)
        return (error as Error).message
      }
      throw new Error('accepted')
    }
    for (const raw of ['A=hunter2\nA=hunter2', `A=hunter2${'x'.repeat(8192)}`, 'PATH=hunter2']) {
      expect(refuse(raw)).not.toContain('hunter2')
    }
  })
})

describe('the start request and its answer', () => {
  it('leaves parameter and scm out when empty, and adds a branch as codeBranch', () => {
    expect(startBody({ jobId: JOB, parameters: [] })).toEqual({ job_id: JOB })
    expect(
      startBody({
        jobId: JOB,
        parameters: [{ name: 'A', value: '1' }],
        branch: 'dev',
        commit: 'c0'
      })
    ).toEqual({
      job_id: JOB,
      parameter: [
        { name: 'A', value: '1' },
        { name: 'codeBranch', value: 'dev' }
      ],
      scm: { build_commit_id: 'c0' }
    })
  })

  it('reads the build number as a string or a number, and nothing else', () => {
    expect(
      startedBuildNumber({ actual_build_number: '55', daily_build_number: '20200825.1' })
    ).toBe(55)
    expect(startedBuildNumber({ actual_build_number: 7 })).toBe(7)
    for (const bad of [
      {},
      { actual_build_number: '0' },
      { actual_build_number: '5.5' },
      { actual_build_number: -1 },
      { actual_build_number: '20200825.1' },
      null,
      'x'
    ]) {
      expect(() => startedBuildNumber(bad)).toThrow(UnexpectedResponseError)
    }
  })

  it('accepts a stop only on success true', () => {
    expect(stopAnswerOf({ success: true, result: 'ok' })).toEqual({ accepted: true, result: 'ok' })
    expect(stopAnswerOf({ success: 'true' }).accepted).toBe(true)
    expect(stopAnswerOf({ success: false, result: 'a\n::error::x' })).toEqual({
      accepted: false,
      result: 'a : :error: :x'
    })
    expect(stopAnswerOf({}).accepted).toBe(false)
  })

  it('names parameters and source, never values', () => {
    const text = describeRequest({
      jobId: JOB,
      parameters: [{ name: 'TOKEN', value: 'hunter2' }],
      branch: 'main',
      tag: 'v1'
    })
    expect(text).toBe('parameters TOKEN, branch main, tag v1')
  })
})

describe('whether a failed start or stop may be asked again', () => {
  const api = (status: number, errorCode?: string): CodeArtsApiError =>
    new CodeArtsApiError({ status, errorCode })

  it('retries only what proves nothing happened', () => {
    expect(provesNothingHappened(api(429))).toBe(true)
    expect(provesNothingHappened(api(200, 'CB.00060211'))).toBe(true)
    expect(provesNothingHappened(errno('ECONNREFUSED'))).toBe(true)
    for (const other of [
      api(500),
      api(502),
      api(400),
      errno('ECONNRESET'),
      errno('ETIMEDOUT'),
      new Error('Request timeout: /v3/jobs/build')
    ]) {
      expect(provesNothingHappened(other)).toBe(false)
    }
  })

  it('says a build may have started unless the answer refused it or proved nothing happened', () => {
    expect(mayHaveStarted(errno('ECONNRESET'))).toBe(true)
    expect(mayHaveStarted(new Error('Request timeout: /v3/jobs/build'))).toBe(true)
    expect(mayHaveStarted(api(504))).toBe(true)
    expect(mayHaveStarted(new UnexpectedResponseError('no number', '{}'))).toBe(true)
    expect(mayHaveStarted(api(400, 'CB.00060201'))).toBe(false)
    expect(mayHaveStarted(new RetriesExhaustedError(4, api(429)))).toBe(false)
    expect(mayHaveStarted(errno('ECONNREFUSED'))).toBe(false)
  })
})

describe('buildVerdict', () => {
  const build = { recordId: 'r'.repeat(36), jobBuild: { jobId: JOB, buildNumber: 9 } }

  it('passes a build that ended in success or succeeded, either way', () => {
    for (const status of ['success', 'succeeded']) {
      expect(buildVerdict(build, { status, end: 'ended' }, 10, true)).toBeUndefined()
    }
  })

  it('fails every other end with one error that names the build and its last status', () => {
    const ended = buildVerdict(build, { status: 'error', end: 'ended' }, 10, true)
    expect(ended).toEqual({
      level: 'error',
      title: 'Build failed',
      message: `Build 9 of job ${JOB} (record ${build.recordId}) ended with status error. fail-on-build-failure is true, so the step fails.`
    })
    const late = buildVerdict(build, { status: 'running', end: 'timed-out' }, 10, true)
    expect(late?.title).toBe('Build failed')
    expect(late?.message).toMatch(/still running after 10 minute\(s\).*goes on running in CodeArts/)
    const unread = buildVerdict(
      build,
      { status: 'running', end: 'unreadable', problem: 'HTTP 500' },
      10,
      true
    )
    expect(unread?.message).toMatch(/could not be read \(HTTP 500\); its last status was running/)
  })

  it('only warns of a wait that ran out or a status not read with fail-on-build-failure: false', () => {
    expect(buildVerdict(build, { status: 'error', end: 'ended' }, 10, false)).toBeUndefined()
    expect(buildVerdict(build, { status: 'running', end: 'timed-out' }, 10, false)).toMatchObject({
      level: 'warning',
      title: 'Build still running'
    })
    expect(buildVerdict(build, { status: '', end: 'unreadable' }, 10, false)).toMatchObject({
      level: 'warning',
      title: 'Could not read the build status'
    })
  })
})
