import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type * as http from 'node:http'
import * as fs from 'node:fs/promises'
import * as path from 'node:path'
import { startCodeArts, type CodeArtsEmulator } from '../__fixtures__/codearts-server.js'
import { makeRuntimeToken } from '../__fixtures__/jwt.js'
import { startResultsService, type ResultsService } from '../__fixtures__/results-service.js'
import { cancelMidDownload, expectExitCode, runAction } from '../__fixtures__/run-action.js'
import { RECORD_ID, SAMPLE_LOGS, TOKEN, sampleCompileError } from '../__fixtures__/sample.js'
import { SMALL_DISK_UNAVAILABLE, mountSmallDisk } from '../__fixtures__/small-disk.js'
import { readZip } from '../__fixtures__/zip.js'

/** One scripted answer; a stage's script is played in order, then its log is served. */
type Behaviour = (req: http.IncomingMessage, res: http.ServerResponse) => void

const LOG = SAMPLE_LOGS.stage2
const scripts = new Map<string, Behaviour[]>()
const open = new Set<http.ServerResponse>()
let api: CodeArtsEmulator
let foreign: CodeArtsEmulator

const status =
  (code: number, body: string | object, headers: Record<string, string> = {}): Behaviour =>
  (_req, res) => {
    res.writeHead(code, { 'Content-Type': 'application/json', ...headers })
    res.end(typeof body === 'string' ? body : JSON.stringify(body))
  }

/** Announces the whole log, sends half of it, then closes the connection. */
const cutShort: Behaviour = (_req, res) => {
  res.writeHead(200, { 'Content-Length': String(Buffer.byteLength(LOG)) })
  res.write(LOG.slice(0, 40), () => res.socket?.destroy())
}

/** Announces 100 bytes more than it sends, then ends the connection cleanly. */
const shortOfContentLength: Behaviour = (_req, res) => {
  res.writeHead(200, { 'Content-Length': String(Buffer.byteLength(LOG) + 100) })
  res.write(LOG, () => res.socket?.end())
}

/** Accepts the request and never answers (until the emulator closes). */
const silent: Behaviour = (_req, res) => {
  open.add(res)
}

/** Sends headers and one byte, then nothing. */
const stall: Behaviour = (_req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/octet-stream' })
  res.write('[')
  open.add(res)
}

beforeAll(async () => {
  foreign = await startCodeArts({ logs: { [RECORD_ID]: SAMPLE_LOGS } })
  api = await startCodeArts({
    token: TOKEN,
    logs: { [RECORD_ID]: { ...SAMPLE_LOGS, stage4: LOG, stage5: LOG, stage6: LOG } },
    intercept: (req, res, url) => {
      const key = `${url.searchParams.get('task_name')}`
      const behaviour = scripts.get(key)?.shift()
      if (!behaviour) return false
      behaviour(req, res)
      return true
    }
  })
})
afterAll(async () => {
  for (const res of open) res.destroy()
  await api.close()
  await foreign.close()
})

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'record-id': RECORD_ID,
    'task-names': 'stage2',
    token: TOKEN,
    endpoint: api.url,
    ...extra
  }
}

function requestsFor(stage: string, since: number) {
  return api.requests.slice(since).filter(r => r.query.task_name === stage)
}

async function savedLog(runnerTemp: string, stage = 'stage2'): Promise<string> {
  return fs.readFile(
    path.join(runnerTemp, 'codearts-build-logs', RECORD_ID, `${stage}.log`),
    'utf8'
  )
}

async function listDir(runnerTemp: string): Promise<string[]> {
  return (await fs.readdir(path.join(runnerTemp, 'codearts-build-logs', RECORD_ID))).sort()
}

describe('retries', () => {
  it('retries a 500 and saves the log of the next attempt', async () => {
    scripts.set('stage2', [status(500, { error_code: 'CB.00060101', error_msg: 'internal error' })])
    const since = api.requests.length
    const run = await runAction({ inputs: inputs() })
    expectExitCode(run, 0)
    expect(requestsFor('stage2', since)).toHaveLength(2)
    expect(await savedLog(run.runnerTemp)).toBe(LOG)
    expect(run.stdout).toMatch(
      /stage2: attempt 1 of 4 failed: 500 CB\.00060101 internal error .*; retrying in \d\.\d s/
    )
    expect(run.annotations.map(a => a.title)).toEqual([
      'Artifact upload skipped',
      'Compile error in stage2'
    ])
    expect(run.annotations[1]).toEqual(sampleCompileError('stage2'))
  })

  it('waits as long as a 429 Retry-After asks', async () => {
    scripts.set('stage2', [
      status(429, { error_code: 'APIGW.0308', error_msg: 'throttled' }, { 'Retry-After': '1' })
    ])
    const since = api.requests.length
    const run = await runAction({ inputs: inputs() })
    expectExitCode(run, 0)
    const [first, second] = requestsFor('stage2', since)
    expect(second.at - first.at).toBeGreaterThanOrEqual(1000)
    expect(run.stdout).toContain('retrying in 1.0 s')
    expect(await savedLog(run.runnerTemp)).toBe(LOG)
  })

  it('retries the throttling code CB.00060211 even on a 400', async () => {
    scripts.set('stage2', [
      status(
        400,
        { error_code: 'CB.00060211', error_msg: 'too many requests' },
        { 'Retry-After': '0' }
      )
    ])
    const since = api.requests.length
    const run = await runAction({ inputs: inputs() })
    expectExitCode(run, 0)
    expect(requestsFor('stage2', since)).toHaveLength(2)
  })

  it('gives up on a 503 after max-attempts and says how many attempts it made', async () => {
    const unavailable = status(
      503,
      { error_code: 'CB.00060100', error_msg: 'network busy' },
      { 'Retry-After': '0' }
    )
    scripts.set('stage2', [unavailable, unavailable, unavailable, unavailable])
    const since = api.requests.length
    const run = await runAction({ inputs: inputs({ 'max-attempts': '3' }) })
    expectExitCode(run, 1)
    expect(requestsFor('stage2', since)).toHaveLength(3)
    const [error] = run.annotations
    expect(error.title).toBe('CodeArts Build API error 503 (CB.00060100)')
    expect(error.message).toMatch(/503 CB\.00060100 network busy .*\(gave up after 3 attempts\)$/)
    expect(scripts.get('stage2')).toHaveLength(1)
    scripts.delete('stage2')
  })

  it('does not retry a 404', async () => {
    const since = api.requests.length
    const run = await runAction({ inputs: inputs({ 'task-names': 'stage9' }) })
    expectExitCode(run, 1)
    expect(requestsFor('stage9', since)).toHaveLength(1)
    expect(run.annotations[0].message).not.toContain('gave up')
  })
})

describe('broken transfers', () => {
  it('retries a connection reset mid-body from the start and leaves no partial file', async () => {
    scripts.set('stage2', [cutShort])
    const run = await runAction({ inputs: inputs() })
    expectExitCode(run, 0)
    expect(await savedLog(run.runnerTemp)).toBe(LOG)
    expect(await listDir(run.runnerTemp)).toEqual(['stage2.log'])
    expect(run.stdout).toMatch(/stage2: attempt 1 of 4 failed: .*retrying/)
  })

  it('treats a body shorter than its Content-Length as a failed attempt', async () => {
    scripts.set('stage2', [shortOfContentLength, shortOfContentLength])
    const run = await runAction({ inputs: inputs({ 'max-attempts': '2' }) })
    expectExitCode(run, 1)
    expect(await listDir(run.runnerTemp)).toEqual([])
    expect(run.annotations[0].message).toMatch(
      /stage2 .*: the connection closed after \d+ bytes, before the body was complete .*\(gave up after 2 attempts\)$/
    )
  })

  it('cuts off a server that never answers within the timeout', async () => {
    scripts.set('stage2', [silent, silent])
    const started = Date.now()
    const run = await runAction({ inputs: inputs({ 'timeout-seconds': '1', 'max-attempts': '2' }) })
    expectExitCode(run, 1)
    expect(Date.now() - started).toBeLessThan(15_000)
    expect(run.annotations[0].message).toMatch(
      /no answer to GET \/v1\/log\/\S+\/task-log within 1 s \(timeout-seconds\) \(gave up after 2 attempts\)/
    )
  })

  it('cuts off a body that stalls, then succeeds on the next attempt', async () => {
    scripts.set('stage2', [stall])
    const run = await runAction({ inputs: inputs({ 'timeout-seconds': '1' }) })
    expectExitCode(run, 0)
    expect(run.stdout).toContain('no data for 1 s: the transfer stalled')
    expect(await savedLog(run.runnerTemp)).toBe(LOG)
    expect(await listDir(run.runnerTemp)).toEqual(['stage2.log'])
  })
})

describe('redirects', () => {
  it('follows a redirect to another server without sending it any credential', async () => {
    const target = `${foreign.url}/v1/log/${RECORD_ID}/task-log?task_name=stage1&log_level=INFO&compress=false`
    scripts.set('stage2', [status(302, '', { Location: target })])
    const since = foreign.requests.length
    const run = await runAction({ inputs: inputs() })
    expectExitCode(run, 0)
    const [arrived] = foreign.requests.slice(since)
    expect(api.requests.at(-1)?.headers['x-auth-token']).toBe(TOKEN)
    expect(arrived.headers['x-auth-token']).toBeUndefined()
    expect(await savedLog(run.runnerTemp)).toBe(SAMPLE_LOGS.stage1)
  })

  it('refuses to follow a redirect to another scheme', async () => {
    scripts.set('stage2', [status(302, '', { Location: 'https://example.com/log' })])
    const run = await runAction({ inputs: inputs() })
    expectExitCode(run, 1)
    expect(run.annotations[0].title).toBe('CodeArts Build API: redirect refused')
    expect(run.annotations[0].message).toContain(
      'refused a redirect from http:// to https://example.com: only http:// is followed. Check endpoint (or region)'
    )
  })

  it('keeps the status of an error whose body breaks off, and does not retry a 401', async () => {
    const broken: Behaviour = (_req, res) => {
      res.writeHead(401, { 'Content-Type': 'application/json', 'Content-Length': '500' })
      res.write('{"error_code":"APIGW.03', () => res.socket?.destroy())
    }
    scripts.set('stage2', [broken])
    const since = api.requests.length
    const run = await runAction({ inputs: inputs() })
    expectExitCode(run, 1)
    expect(requestsFor('stage2', since)).toHaveLength(1)
    expect(run.annotations[0].title).toBe('CodeArts Build API error 401')
    expect(run.annotations[0].message).toContain('Check the token')
  })

  it('stops after five redirects', async () => {
    const self = `${api.url}/v1/log/${RECORD_ID}/task-log?task_name=stage2&log_level=INFO&compress=false`
    scripts.set(
      'stage2',
      Array.from({ length: 6 }, () => status(307, '', { Location: self }))
    )
    const run = await runAction({ inputs: inputs() })
    expectExitCode(run, 1)
    expect(run.annotations[0].title).toBe('CodeArts Build API: too many redirects')
    expect(run.annotations[0].message).toMatch(/stopped after 5 redirects .*\. Check endpoint/)
    scripts.delete('stage2')
  })
})

describe('hostile bodies', () => {
  it('never lets error_msg start a workflow command', async () => {
    scripts.set('stage2', [
      status(400, {
        error_code: 'CB.00060200',
        error_msg:
          'bad\n::set-output name=x::y\n::add-mask::stage2\r\n::stop-commands::tok ![t](https://evil.example/t.png) <img src=x>'
      })
    ])
    const run = await runAction({ inputs: inputs() })
    expectExitCode(run, 1)
    const lines = run.stdout.split('\n')
    expect(lines.filter(l => /^::(set-output|add-mask::stage2|stop-commands)/.test(l))).toEqual([])
    expect(run.outputs.x).toBeUndefined()
    expect(run.annotations).toHaveLength(1)
    expect(run.annotations[0].message).toContain(
      'bad : :set-output name=x: :y : :add-mask: :stage2'
    )
    expect(run.summary).toContain(
      '&#33;&#91;t&#93;&#40;https&#58;//evil.example/t.png&#41; &#60;img src=x&#62;'
    )
    expect(run.summary).not.toMatch(/!\[t\]|<img/)
  })

  it('reads only the start of a 5 MB HTML error page', async () => {
    const page = `<html><body><h1>403 Forbidden</h1>${'<p>padding</p>'.repeat(400_000)}</body></html>`
    scripts.set('stage2', [status(403, page, { 'Content-Type': 'text/html' })])
    const run = await runAction({ inputs: inputs() })
    expectExitCode(run, 1)
    expect(run.annotations[0].title).toBe('CodeArts Build API error 403')
    expect(run.annotations[0].message).toContain('403 (body: 403 Forbidden padding padding')
    expect(run.annotations[0].message.length).toBeLessThan(600)
    expect(run.stdout.length).toBeLessThan(10_000)
  })
})

describe('partial failure', () => {
  it('uploads the four logs it could fetch and fails naming the fifth', async () => {
    const unavailable = status(
      503,
      { error_code: 'CB.00060100', error_msg: 'network busy' },
      { 'Retry-After': '0' }
    )
    scripts.set('stage3', [unavailable, unavailable])
    const results: ResultsService = await startResultsService()
    try {
      const run = await runAction({
        inputs: inputs({ 'task-names': 'stage1 stage2 stage3 stage4 stage5', 'max-attempts': '2' }),
        env: { ACTIONS_RUNTIME_TOKEN: makeRuntimeToken('r', 'j'), ACTIONS_RESULTS_URL: results.url }
      })
      expectExitCode(run, 1)
      expect(run.outputs['failed-stages']).toBe('["stage3"]')
      expect([...readZip(results.artifacts[0].bytes).keys()].sort()).toEqual([
        'stage1.log',
        'stage2.log',
        'stage4.log',
        'stage5.log'
      ])
      // The download failure first, then the compile error each fetched log holds.
      expect(run.annotations.filter(a => a.level === 'error').map(a => a.title)).toEqual([
        'CodeArts Build API error 503 (CB.00060100)',
        'Compile error in stage2',
        'Compile error in stage4',
        'Compile error in stage5'
      ])
    } finally {
      await results.close()
    }
  })
})

// Where a tmpfs cannot be mounted (not root), the title says why the test is skipped.
const onSmallDisk = SMALL_DISK_UNAVAILABLE ? describe.skip : describe
onSmallDisk(
  `a full disk${SMALL_DISK_UNAVAILABLE ? ` (skipped: ${SMALL_DISK_UNAVAILABLE})` : ''}`,
  () => {
    /** A log 16 times the disk's size, served at once. */
    const big: Behaviour = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' })
      res.end('[INFO] filling the disk\n'.repeat(45_000))
    }

    it("says the runner's disk is full, how much of the log was saved and what helps", async () => {
      const disk = mountSmallDisk(64 * 1024)
      try {
        scripts.set('stage2', [big])
        const run = await runAction({ inputs: inputs({ path: disk.dir }) })
        expectExitCode(run, 1)
        const [error] = run.annotations.filter(a => a.level === 'error')
        expect(error.title).toBe("The runner's disk is full")
        const said = new RegExp(
          `^failed to download stage2 of record ${RECORD_ID}: the disk that holds ${disk.dir} is full: ` +
            '(\\d+) of the (\\d+) bytes received of this log were saved before it filled, and that part was removed\\. ' +
            'Free space on the runner before this step \\(remove what earlier steps left there\\), or set compress: true to download the logs compressed\\.$'
        )
        expect(error.message).toMatch(said)
        const [, saved, received] = said.exec(error.message)!.map(Number)
        expect(saved).toBeGreaterThan(0)
        expect(saved).toBeLessThanOrEqual(64 * 1024)
        expect(received).toBeGreaterThan(saved)
        // Not retried: another attempt would meet the same disk. The part is gone, freeing it.
        expect(run.stdout).not.toMatch(/stage2: attempt 1 of \d+ failed/)
        expect(await fs.readdir(disk.dir)).toEqual([])
      } finally {
        scripts.delete('stage2')
        disk.remove()
      }
    })
  }
)

describe('cancellation', () => {
  it('stops on SIGTERM, removes temporary files and keeps the complete logs', async () => {
    scripts.set('stage2', [stall])
    const run = await runAction({
      inputs: inputs({ 'task-names': 'stage1 stage2' }),
      during: cancelMidDownload(RECORD_ID)
    })
    expectExitCode(run, 1)
    expect(await listDir(run.runnerTemp)).toEqual(['stage1.log'])
    expect(run.outputs['failed-stages']).toBe('["stage2"]')
    expect(run.annotations).toEqual([
      expect.objectContaining({ level: 'error', title: 'Cancelled' })
    ])
    expect(run.annotations[0].message).toContain('1 of 2 logs were complete')
  })
})
