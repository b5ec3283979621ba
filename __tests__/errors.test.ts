import { describe, expect, it } from '@jest/globals'
import { CodeArtsApiError, describeApiError } from '../src/codearts/api-error.js'
import { readEnvelope } from '../src/codearts/envelope.js'
import { ContextError, errorTitle, UnexpectedResponseError } from '../src/errors.js'
import { parseApiError } from '../src/http/api-error.js'
import { parseJsonObject } from '../src/http/json-object.js'
import { sanitizeForLog } from '../src/server-text.js'

describe('parseApiError', () => {
  it('reads the documented service error shape', () => {
    expect(
      parseApiError(404, '{"error_code":"CB.00060214","error_msg":"URL not found"}', 'rid-1')
    ).toEqual({
      status: 404,
      errorCode: 'CB.00060214',
      errorMsg: 'URL not found',
      requestId: 'rid-1'
    })
  })

  it('prefers the gateway request_id in the body over the header', () => {
    const details = parseApiError(
      401,
      '{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information","request_id":"body-id"}',
      'header-id'
    )
    expect(details.requestId).toBe('body-id')
  })

  it('keeps the start of a body that is not JSON, without its markup', () => {
    const details = parseApiError(
      502,
      `<html><body><h1>502 Bad Gateway</h1>${'x'.repeat(1000)}</body></html>`
    )
    expect(details.errorCode).toBeUndefined()
    expect(details.bodyExcerpt?.startsWith('502 Bad Gateway x')).toBe(true)
    expect(details.bodyExcerpt?.length).toBeLessThanOrEqual(201)
  })

  it('copes with empty bodies, JSON that is not an object and JSON without the fields', () => {
    expect(parseApiError(500, '').bodyExcerpt).toBe('(empty body)')
    expect(parseApiError(500, '[1,2]').bodyExcerpt).toBe('[1,2]')
    expect(parseApiError(500, '{"status":"fail"}').bodyExcerpt).toBe('{"status":"fail"}')
  })

  it('neutralises workflow commands and line breaks a server puts in error_msg', () => {
    const details = parseApiError(
      400,
      JSON.stringify({
        error_code: 'CB.00060200',
        error_msg: 'bad\n::set-output name=x::y\r\n::add-mask::z'
      })
    )
    expect(details.errorMsg).toBe('bad : :set-output name=x: :y : :add-mask: :z')
    expect(sanitizeForLog('a\u0000b\u001bc')).toBe('a b c')
  })
})

describe('parseJsonObject', () => {
  it('gives the object a text holds, and undefined for anything else, without throwing', () => {
    expect(parseJsonObject(' {"a": {"b": 1}} ')).toEqual({ a: { b: 1 } })
    for (const text of ['', 'not json', '{"a":', '[1]', 'null', '"x"', '42', 'true']) {
      expect(parseJsonObject(text)).toBeUndefined()
    }
  })
})

describe('describeApiError', () => {
  it('puts status, code, message, request ID and a hint in one line', () => {
    expect(
      describeApiError({
        status: 404,
        errorCode: 'CB.00060214',
        errorMsg: 'URL not found',
        requestId: 'r1'
      })
    ).toBe(
      '404 CB.00060214 URL not found (request ID r1). Check the record ID, that the stage exists in this build, and the region or endpoint.'
    )
  })

  it.each([
    [401, 'token'],
    [403, 'permission'],
    [400, 'stage names'],
    [429, 'throttling'],
    [503, 'retry later']
  ])('gives a hint for %i', (status, word) => {
    expect(describeApiError({ status })).toContain(word)
  })

  it('recognises the throttling code whatever the status', () => {
    expect(describeApiError({ status: 400, errorCode: 'CB.00060211' })).toContain('throttling')
  })
})

describe('error titles and context', () => {
  it('titles an API error with status and code', () => {
    expect(new CodeArtsApiError({ status: 403, errorCode: 'CB.1' }).title).toBe(
      'CodeArts Build API error 403 (CB.1)'
    )
    expect(new CodeArtsApiError({ status: 500 }).title).toBe('CodeArts Build API error 500')
  })

  it('keeps the cause and its title when adding context', () => {
    const cause = new CodeArtsApiError({
      status: 404,
      errorCode: 'CB.00060214',
      errorMsg: 'URL not found'
    })
    const error = new ContextError('failed to download stage2 of record r', cause)
    expect(error.cause).toBe(cause)
    expect(error.message).toMatch(
      /^failed to download stage2 of record r: 404 CB.00060214 URL not found\./
    )
    expect(errorTitle(error)).toBe('CodeArts Build API error 404 (CB.00060214)')
    expect(errorTitle(new Error('plain'))).toBeUndefined()
  })
})

describe('readEnvelope', () => {
  it('returns the result of a success envelope', () => {
    expect(readEnvelope('{"status":"success","error":null,"result":{"a":1}}')).toEqual({ a: 1 })
  })

  it.each([
    [{ error_code: 'CB.00060201', error_msg: 'invalid task ID' }, 'CB.00060201', 'invalid task ID'],
    [{ code: 'CB.1', msg: 'nope' }, 'CB.1', 'nope'],
    ['just a string', undefined, 'just a string']
  ])('turns status fail into an API error: %j', (error, code, message) => {
    let thrown: unknown
    try {
      readEnvelope(JSON.stringify({ status: 'fail', error, result: null }), 'req-9')
    } catch (e) {
      thrown = e
    }
    expect(thrown).toBeInstanceOf(CodeArtsApiError)
    const api = thrown as CodeArtsApiError
    expect(api.details.errorCode).toBe(code)
    expect(api.details).toMatchObject({ errorMsg: message, requestId: 'req-9' })
    expect(api.message).toMatch(
      new RegExp(`^status "fail": ${code ? `${code} ` : ''}${message} \\(request ID req-9\\)\\. `)
    )
    expect(api.title).toBe(`CodeArts Build API error (status fail)${code ? ` (${code})` : ''}`)
  })

  it('says what came back when the body is not the envelope', () => {
    expect(() => readEnvelope('<html><body>Bad gateway</body></html>')).toThrow(
      new UnexpectedResponseError('the answer was not JSON', 'Bad gateway')
    )
    expect(() => readEnvelope('{"status":"success","result":{"build')).toThrow(
      /not JSON; it began: \{"status"/
    )
    expect(() => readEnvelope('[1]')).toThrow(/not a JSON object/)
    expect(() => readEnvelope('{"status":"success"}')).toThrow(/had no "result"/)
  })

  it('hints at throttling for the throttling code in an envelope', () => {
    expect(() => readEnvelope('{"status":"fail","error":{"error_code":"CB.00060211"}}')).toThrow(
      /throttling/
    )
  })
})
