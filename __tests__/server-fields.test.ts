import { describe, expect, it } from '@jest/globals'
import { recordIdOf } from '../src/codearts/record-info.js'
import { buildStatusOf } from '../src/codearts/record-status.js'
import { TextLimit } from '../src/server-text.js'
import { parseStageList } from '../src/codearts/stage-list.js'
import { CodeArtsApiError } from '../src/codearts/api-error.js'
import { readEnvelope } from '../src/codearts/envelope.js'
import { errorMessage } from '../src/errors.js'
import { parseApiError } from '../src/http/api-error.js'

// Each one a way server text could break a log line, an annotation or a summary row.
const HOSTILE = [
  'Build\n::error title=x::y',
  'Build\r\n::set-output name=x::y',
  'Build\u2028::warning::y\u2029',
  '| a | b |<img src=x onerror=alert(1)>[x](javascript:alert(1))',
  '\u202e\u0085\u0000\u007f\u001b[31m##[error]z',
  `::error::${'n'.repeat(10 * 1024)}`
]

// Answers as the API documents them; every string in them is replaced below, keys included.
const STAGE_LIST = {
  build_stages: {
    '8f1c0a': {
      id: '8f1c0a',
      execution_stage_name: 'stage2',
      display_name: 'Build with Maven',
      status: 'ERROR',
      sequence: 1
    },
    stage3: { display_name: 'Upload', status: 'success', sequence: 2 },
    ffffff: { display_name: 'Notify', status: '' }
  }
}
const RECORD_INFO = { id: 'run-7', build_record_id: 'x', build_no: 7, status: 'error' }
const INFO = { status: 'success', record_id: 'x', build_no: 7 }
const ENVELOPES = [
  { status: 'fail', error: { error_code: 'CB.00060214', error_msg: 'not found' }, result: null },
  { status: 'fail', error: { code: 'CB.1', msg: 'no' }, request_id: 'r1', result: null },
  { status: 'fail', error: 'plain text error', result: null }
]
const HTTP_ERRORS = [
  { error_code: 'CB.00060214', error_msg: 'not found', request_id: 'r1' },
  { errorCode: 'APIGW.0101', errorMsg: 'The API does not exist', requestId: 'r2' },
  { code: 'x', message: 'y' }
]

/**
 * A copy of `value` with every string replaced by `hostile`, but for those at `keep` (the
 * envelope's `status` that makes it an error); the keys of maps at `keyed` are replaced too.
 */
function poison(
  value: unknown,
  hostile: string,
  keep: string[] = [],
  keyed: string[] = []
): unknown {
  const walk = (v: unknown, at: string): unknown => {
    if (typeof v === 'string') return keep.includes(at) ? v : `${hostile}${at}`
    if (Array.isArray(v)) return v.map((item, i) => walk(item, `${at}.${i}`))
    if (v === null || typeof v !== 'object') return v
    return Object.fromEntries(
      Object.entries(v).map(([key, item], i) => [
        // Replaced keys stay distinct so entries do not collapse into one.
        keyed.includes(at) ? `${hostile}${i}` : key,
        walk(item, `${at}.${key}`)
      ])
    )
  }
  return walk(value, '$')
}

/** Every string in `value`, with where it is. */
function strings(value: unknown, at = '$'): [string, string][] {
  if (typeof value === 'string') return [[at, value]]
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${at}[${i}]`))
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, v]) => strings(v, `${at}.${key}`))
  }
  return []
}

// A message composes bounded fields (code, message, request ID) with the action's own words.
const COMPOSED_CHARS = TextLimit.Message + 2 * TextLimit.Name + 400

/** What is wrong with one string the action took from a server, if anything. */
function problems(where: string, text: string, isStatus = false): string[] {
  const limit = where.endsWith('.message') || where === '$' ? COMPOSED_CHARS : TextLimit.Message
  const found: string[] = []
  if (/[\p{Cc}\p{Zl}\p{Zp}\u202a-\u202e\u2066-\u2069]/u.test(text)) found.push('control or break')
  if (text.includes('::') || text.includes('##[')) found.push('workflow command')
  if (Array.from(text).length > limit) found.push('unbounded')
  if (isStatus && !/^[a-z0-9_-]*$/.test(text)) found.push('status not a word')
  return found.map(p => `${where}: ${p}: ${JSON.stringify(text.slice(0, 80))}`)
}

function check(parsed: unknown, statusKeys: string[] = []): string[] {
  return strings(parsed).flatMap(([where, text]) =>
    problems(
      where,
      text,
      statusKeys.some(k => where.endsWith(`.${k}`))
    )
  )
}

/** The error a parser threw, as everything of it that is shown: message, title, details. */
function thrown(parse: () => unknown): unknown {
  try {
    return { returned: parse() }
  } catch (error) {
    return error instanceof CodeArtsApiError
      ? { message: error.message, title: error.title, details: { ...error.details } }
      : { message: errorMessage(error) }
  }
}

describe.each(HOSTILE.map(h => [JSON.stringify(h.slice(0, 40)), h]))(
  'a hostile value %s in every string field',
  (_, hostile) => {
    it('leaves the stage list with one-line bounded names and word statuses', () => {
      const skipped: string[] = []
      const stages = parseStageList(poison(STAGE_LIST, hostile, [], ['$.build_stages']), why =>
        skipped.push(why)
      )
      expect(stages.length).toBeGreaterThan(0)
      expect(stages.some(s => s.displayName !== undefined)).toBe(true)
      expect(skipped.length).toBeGreaterThan(0)
      expect([...check(stages, ['status']), ...check(skipped)]).toEqual([])
    })

    it('leaves record-info and info as inert text', () => {
      const record = thrown(() => recordIdOf(poison(RECORD_INFO, hostile)))
      expect(check(record)).toEqual([])
      const status = buildStatusOf(poison(INFO, hostile))
      expect(status).toBe('unknown')
    })

    it('leaves error envelopes inert in message, title and details', () => {
      for (const envelope of ENVELOPES) {
        const body = JSON.stringify(poison(envelope, hostile, ['$.status']))
        const error = thrown(() => readEnvelope(body, hostile))
        expect(error).toHaveProperty('title')
        expect(check(error)).toEqual([])
      }
      // A body that is not an envelope at all reaches the message only as an excerpt.
      expect(check(thrown(() => readEnvelope(hostile)))).toEqual([])
    })

    it('leaves HTTP error bodies inert, JSON or not, with a hostile request ID header', () => {
      const bodies = [...HTTP_ERRORS.map(b => JSON.stringify(poison(b, hostile))), hostile]
      for (const body of bodies) {
        const details = parseApiError(500, body, hostile)
        expect(details.errorCode ?? details.errorMsg ?? details.bodyExcerpt).toBeDefined()
        expect(details.requestId).toBeDefined()
        expect(check(details)).toEqual([])
        expect(check(new CodeArtsApiError(details).message)).toEqual([])
      }
    })
  }
)
