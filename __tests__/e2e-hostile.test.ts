import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  startCodeArts,
  type CannedResponse,
  type CodeArtsEmulator
} from '../__fixtures__/codearts-server.js'
import { expectExitCode, runAction, type StepRun } from '../__fixtures__/run-action.js'
import { SAMPLE_LOGS, TOKEN } from '../__fixtures__/sample.js'

// A server that wants its text read as something else: a workflow command on a line of its own
// (after \n, \r\n, or the separators some readers take for line ends), a v1 command, a table
// cell, HTML, a Markdown link, and a name long enough to flood a log or a summary.
const FORGED_LINES = '\n::error::x\r\n::set-output name=a::b\u2028::warning::w\u2029##[error]v1'
const MARKUP = '| a | b |<img src=x onerror=alert(1)>[x](javascript:alert(1))'
const HOSTILE = `Build${FORGED_LINES} ${MARKUP}`
// The same string as one inert line: breaks to spaces, `::` and `##[` broken up, nothing cut.
const HOSTILE_SHOWN =
  'Build : :error: :x : :set-output name=a: :b : :warning: :w # #[error]v1 ' +
  '| a | b |<img src=x onerror=alert(1)>[x](javascript:alert(1))'
const LONG = `::error::${'n'.repeat(10 * 1024)}`
// The issue's own check: a status that would end its line and raise an error titled x.
const FORGED_STATUS = 'error\n::error title=x::y'

const record = (n: number): string => `00000000-0000-4000-a000-${String(n).padStart(12, '0')}`
const LISTED = record(1)
const JOB = '0123456789abcdefghijklmnopqrstuv'
const FOUND = record(2)
const ERRORS = record(3)
const FORGED = record(4)

// Every string the stage list has is hostile: keys, names, statuses; one entry is skipped, so
// its key reaches the debug log.
const HOSTILE_STAGES = {
  [`k1${FORGED_LINES}`]: {
    execution_stage_name: 'stage1',
    display_name: HOSTILE,
    status: FORGED_STATUS,
    sequence: 1
  },
  [`k2${MARKUP}`]: {
    execution_stage_name: 'stage2',
    display_name: LONG,
    status: `success${FORGED_LINES}`,
    sequence: 2
  },
  stage3: { display_name: MARKUP, status: '\r\n::set-output name=a::b', sequence: 3 },
  [`skipped${FORGED_LINES}${LONG}`]: { display_name: HOSTILE, status: FORGED_STATUS }
}
const PLAIN_STAGES = {
  stage1: { display_name: 'Checkout', status: 'success', sequence: 1 },
  stage2: { display_name: 'Build', status: 'error', sequence: 2 }
}

let api: CodeArtsEmulator

const json = (status: number, body: object): CannedResponse => ({
  status,
  body,
  headers: { 'Content-Type': 'application/json' }
})
const fail = (error: object): CannedResponse =>
  json(200, { status: 'fail', error, result: null, request_id: `${HOSTILE}${LONG}` })

beforeAll(async () => {
  api = await startCodeArts({
    token: TOKEN,
    logs: Object.fromEntries([LISTED, FOUND, ERRORS, FORGED].map(id => [id, SAMPLE_LOGS])),
    stages: {
      [LISTED]: HOSTILE_STAGES,
      [FOUND]: PLAIN_STAGES,
      [ERRORS]: PLAIN_STAGES,
      [FORGED]: { stage1: { display_name: 'Checkout', status: FORGED_STATUS, sequence: 1 } }
    },
    records: {
      // build_record_id is not a record ID, so the action falls back to id; the rest is noise
      // a real answer carries, made hostile.
      [`${JOB}/7`]: {
        build_record_id: HOSTILE,
        id: FOUND,
        build_no: 7,
        status: FORGED_STATUS,
        job_name: LONG
      },
      [`${JOB}/8`]: { build_record_id: HOSTILE, id: LONG, build_no: 8, status: FORGED_STATUS }
    },
    info: { [FOUND]: { status: 'success', build_no: 7 } },
    // Only this record's stage2: the other scenarios fetch their stage2 logs as usual.
    intercept: (_req, res, url) => {
      if (url.pathname !== `/v1/log/${ERRORS}/task-log`) return false
      if (url.searchParams.get('task_name') !== 'stage2') return false
      res.writeHead(403, { 'Content-Type': 'application/json' })
      res.end(
        JSON.stringify({
          error_code: `CB.403${FORGED_LINES}${LONG}`,
          error_msg: `${HOSTILE}${LONG}`,
          request_id: HOSTILE
        })
      )
      return true
    }
  })
})
afterAll(async () => api.close())

/** A workflow command as the runner reads it from one line of the step's stdout. */
interface Command {
  name: string
  title?: string
  message: string
}

/**
 * The commands the runner would take from stdout. It reads lines as .NET's ReadLine does (a
 * line ends at \r, \n or \r\n); a line is a command `::name props::data` when it starts with
 * `::` after leading white space and has a second `::`, else an older `##[name props]data`
 * when `##[` is anywhere in it.
 */
function runnerCommands(stdout: string): Command[] {
  const unescape = (s: string): string =>
    s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',')
  const commands: Command[] = []
  for (const line of stdout.split(/\r\n|\r|\n/)) {
    const text = line.trimStart()
    const end = text.startsWith('::') ? text.indexOf('::', 2) : -1
    if (end === -1) {
      const v1 = /##\[([^\]\s;]*)/.exec(line)
      if (v1) commands.push({ name: `##[${v1[1]}`, message: line })
      continue
    }
    const section = text.slice(2, end)
    const space = section.indexOf(' ')
    const name = space === -1 ? section : section.slice(0, space)
    const properties = space === -1 ? '' : section.slice(space + 1)
    const title = /(?:^|,)title=([^,]*)/.exec(properties)?.[1]
    commands.push({
      name,
      ...(title !== undefined && { title: unescape(title) }),
      message: unescape(text.slice(end + 2))
    })
  }
  return commands
}

const ANNOTATION_LEVELS = new Set(['error', 'warning', 'notice'])

/**
 * Asserts that every command in stdout is one the action meant: groups, debug lines, its own
 * mask, and exactly `expected` as annotations (by level and title), each one line, bounded.
 */
function expectOnlyOwnCommands(run: StepRun, expected: [string, string | RegExp][]): Command[] {
  const commands = runnerCommands(run.stdout)
  const foreign = commands.filter(
    c =>
      !['group', 'endgroup', 'debug', ...ANNOTATION_LEVELS].includes(c.name) &&
      !(c.name === 'add-mask' && c.message === TOKEN)
  )
  expect(foreign).toEqual([])
  const annotations = commands.filter(c => ANNOTATION_LEVELS.has(c.name))
  expect(annotations.map(a => [a.name, a.title])).toEqual(
    expected.map(([level, title]) => [
      level,
      typeof title === 'string' ? title : expect.stringMatching(title)
    ])
  )
  for (const annotation of annotations) {
    expect(`${annotation.title ?? ''} ${annotation.message}`).not.toMatch(/[\r\n\u2028\u2029]/)
    expect(annotation.message.length).toBeLessThan(3000)
  }
  expect(annotations.map(a => a.title)).not.toContain('x')
  return annotations
}

/**
 * The lines of the summary's stage table (its first table; the Compile errors table follows),
 * split into cells at each unescaped `|`.
 */
function tableRows(summary: string): string[][] {
  const lines = summary.split(/\r\n|\r|\n/)
  const start = lines.findIndex(line => line.startsWith('|'))
  const end = lines.findIndex((line, i) => i > start && !line.startsWith('|'))
  return lines
    .slice(start, end === -1 ? undefined : end)
    .map(line => line.split(/(?<!\\)\|/).map(cell => cell.trim()))
}

/**
 * Asserts one table row per stage, each as wide as the header, no live markup anywhere, and
 * server text in the same inert line as in the job log (its `::` broken up).
 */
function expectOneRowPerStage(summary: string, stages: string[]): void {
  const [header, rule, ...rows] = tableRows(summary)
  expect(rule.every(cell => /^(---:?)?$/.test(cell))).toBe(true)
  expect(rows.map(row => row[1])).toEqual(stages)
  for (const row of rows) expect(row).toHaveLength(header.length)
  expect(summary).not.toMatch(/[\r\u2028\u2029]|<img|\]\(|::/)
}

describe('a hostile stage list', () => {
  it('shows every name and status as one inert line, in the log, summary and outputs', async () => {
    const run = await runAction({
      inputs: { 'record-id': LISTED, token: TOKEN, endpoint: api.url },
      env: { RUNNER_DEBUG: '1' }
    })
    expectExitCode(run, 0)
    const [, build] = expectOnlyOwnCommands(run, [
      ['warning', 'Artifact upload skipped'],
      ['error', /^Compile error in stage2 \(: :error: :n+…\)$/]
    ])
    const stages = JSON.parse(run.outputs.stages)
    expect(Object.keys(stages)).toEqual(['stage1', 'stage2', 'stage3'])
    expect(stages.stage1).toMatchObject({ name: HOSTILE_SHOWN, result: 'unknown' })
    expect(stages.stage2.result).toBe('unknown')
    expect(stages.stage3).toMatchObject({ name: MARKUP, result: 'unknown' })
    // The 10 KB name is cut to the limit for names, with an ellipsis, wherever it is shown.
    const long: string = stages.stage2.name
    expect(long).toMatch(/^: :error: :n+…$/)
    expect(Array.from(long)).toHaveLength(200)
    expect(build.title).toBe(`Compile error in stage2 (${long})`)
    expect(build.message).toBe('cannot find symbol')
    expect(run.stdout).toContain('stage1 [unknown], stage2 [unknown], stage3 [unknown]')
    expect(run.stdout).toContain(
      '::debug::stage list: skipped an entry: entry "skipped : :error: :x : :set-output'
    )

    expectOneRowPerStage(run.summary, ['stage1', 'stage2', 'stage3'])
    expect(run.summary).toContain('| stage1 | Build : :error: :x : :set-output name=a: :b')
    expect(run.summary).toContain('&#124; a &#124; b &#124;&#60;img src=x onerror=alert&#40;1')
  })

  it('raises no annotation titled x for a status of "error\\n::error title=x::y", and keeps its row', async () => {
    const run = await runAction({
      inputs: { 'record-id': FORGED, token: TOKEN, endpoint: api.url }
    })
    expectExitCode(run, 0)
    const annotations = expectOnlyOwnCommands(run, [['warning', 'Artifact upload skipped']])
    expect(annotations.some(a => a.title === 'x')).toBe(false)
    expect(run.stdout).toContain('lists 1 build action(s): stage1 [unknown]')
    expectOneRowPerStage(run.summary, ['stage1'])
    expect(tableRows(run.summary)[2].slice(1, 4)).toEqual(['stage1', 'Checkout', 'unknown'])
  })
})

describe('a hostile record info', () => {
  it('finds the record and waits for it without showing a word of the noise', async () => {
    api.script(`/v1/record/${FOUND}/info`, [
      json(200, { status: 'success', error: null, result: { status: FORGED_STATUS, id: LONG } })
    ])
    const run = await runAction({
      inputs: {
        'job-id': JOB,
        'build-number': '7',
        token: TOKEN,
        endpoint: api.url,
        'wait-minutes': '1',
        'poll-seconds': '1',
        // The record's answers are under test here; the live log has tests of its own.
        'follow-log': 'false'
      }
    })
    expectExitCode(run, 0)
    expectOnlyOwnCommands(run, [
      ['warning', 'Artifact upload skipped'],
      ['error', 'Compile error in stage2 (Build)']
    ])
    expect(run.outputs['record-id']).toBe(FOUND)
    expect(run.outputs['build-status']).toBe('success')
    const changes = run.stdout.split('\n').filter(line => line.startsWith('Build status: '))
    expect(changes.map(line => line.replace(/ after \d+ s$/, ''))).toEqual([
      'Build status: unknown',
      'Build status: success'
    ])
    expectOneRowPerStage(run.summary, ['stage1', 'stage2'])
    expect(JSON.parse(run.outputs.stages).stage2).toMatchObject({ name: 'Build', result: 'error' })
  })

  it('fails on an answer without a record ID with one bounded line that quotes it', async () => {
    const run = await runAction({
      inputs: { 'job-id': JOB, 'build-number': '8', token: TOKEN, endpoint: api.url }
    })
    expectExitCode(run, 1)
    const [error] = expectOnlyOwnCommands(run, [['error', `Could not find build 8 of job ${JOB}`]])
    expect(error.message).toMatch(
      /no record ID .*; it began: \{"result":\{"build_record_id":"Build/
    )
    expect(error.message).not.toContain('::')
    expect(run.outputs['record-id']).toBeUndefined()
  })
})

describe('a hostile error envelope', () => {
  const LIST = `/v1/record/${ERRORS}/full-stages`

  it('reports a status-fail stage list, retried and final, as one bounded line', async () => {
    api.script(LIST, [
      fail({ error_code: 'CB.00060211', error_msg: `${HOSTILE}${LONG}` }),
      fail({ error_code: `${HOSTILE}${LONG}`, error_msg: `${HOSTILE}${LONG}` })
    ])
    const run = await runAction({
      inputs: { 'record-id': ERRORS, token: TOKEN, endpoint: api.url }
    })
    expectExitCode(run, 1)
    const [error] = expectOnlyOwnCommands(run, [
      ['error', `Could not list the stages of record ${ERRORS}`]
    ])
    expect(error.message).toContain(`status "fail": ${HOSTILE_SHOWN}`)
    expect(error.message).toMatch(/n…/)
    const retry = run.stdout.split('\n').filter(line => line.startsWith('stage list: attempt 1'))
    expect(retry).toHaveLength(1)
    expect(retry[0]).toContain(`status "fail": CB.00060211 ${HOSTILE_SHOWN}`)
    expect(retry[0].length).toBeLessThan(3000)
  })

  it('reports a hostile error answer to a log request as one bounded line everywhere', async () => {
    const run = await runAction({
      inputs: {
        'record-id': ERRORS,
        token: TOKEN,
        endpoint: api.url,
        'task-names': 'stage1,stage2'
      }
    })
    expectExitCode(run, 1)
    const [, error] = expectOnlyOwnCommands(run, [
      ['warning', 'Artifact upload skipped'],
      ['error', /^CodeArts Build API error 403 \(CB\.403 : :error: :x .*n…\)$/]
    ])
    expect(error.title!.length).toBeLessThan(300)
    expect(error.message).toContain(`403 CB.403 : :error: :x`)
    expect(error.message).toContain(HOSTILE_SHOWN)

    const failed = JSON.parse(run.outputs.stages).stage2
    expect(failed).toMatchObject({ status: 'failed', name: 'Build' })
    expect(failed.error).not.toMatch(/[\r\n\u2028\u2029]|::/)
    expect(failed.error.length).toBeLessThan(3000)

    expectOneRowPerStage(run.summary, ['stage1', 'stage2'])
    const items = run.summary.split('\n').filter(line => line.startsWith('- '))
    expect(items).toEqual([expect.stringMatching(/^- \*\*stage2 &#40;Build&#41;\*\*: failed to/)])
  })
})
