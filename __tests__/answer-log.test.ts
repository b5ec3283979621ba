import { describe, expect, it } from '@jest/globals'
import { ANSWER_LOG_BYTES, REDACTED, answerLogLine } from '../src/http/answer-log.js'

const ENDPOINT = 'GET /v1/record/r1/info'
const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOm8vciJ9.c2lnbmF0dXJlLXBhcnQ'
const IAM_TOKEN = `MIIEdemo${'A'.repeat(200)}`

/** The body part of a line, as JSON when it is whole. */
function bodyOf(line: string): string {
  return line.slice(`answer ${ENDPOINT}: HTTP 200: `.length)
}

describe('answerLogLine', () => {
  it('shows the endpoint, the status and a small body as it came', () => {
    const body = JSON.stringify({
      status: 'success',
      error: null,
      result: { id: 'r1', build_no: '7' }
    })
    expect(answerLogLine(ENDPOINT, 200, body)).toBe(`answer ${ENDPOINT}: HTTP 200: ${body}`)
    expect(answerLogLine(ENDPOINT, 204, '')).toBe(`answer ${ENDPOINT}: HTTP 204: (empty body)`)
  })

  it('hides values under secret names, at any depth, keeping the names', () => {
    const body = {
      credential: {
        access: 'AKIDEXAMPLE',
        secret: 'sk-secret',
        securitytoken: 'st',
        expires_at: 'soon'
      },
      access_token: 'at-1',
      id_token: JWT,
      X_Subject_Token: 'xst',
      password: 'hunter2',
      Signature: 'sig',
      apiKey: 'k',
      ak: 'a',
      sk: 's',
      nested: [{ refreshToken: ['rt-one', 'rt-two'] }, { authorization: 'Bearer b' }],
      token: { expires_at: '2024', user: { name: 'u' } },
      harmless: 'kept'
    }
    const line = bodyOf(answerLogLine(ENDPOINT, 200, JSON.stringify(body)))
    for (const secret of [
      'AKIDEXAMPLE',
      'sk-secret',
      '"st"',
      'soon',
      'at-1',
      JWT,
      'xst',
      'hunter2',
      'sig',
      '"k"',
      '"a"',
      '"s"',
      'rt-one',
      'rt-two',
      'Bearer',
      '"u"'
    ])
      expect(line).not.toContain(secret)
    expect(JSON.parse(line)).toMatchObject({
      credential: {
        access: REDACTED,
        secret: REDACTED,
        securitytoken: REDACTED,
        expires_at: REDACTED
      },
      nested: [{ refreshToken: [REDACTED, REDACTED] }, { authorization: REDACTED }],
      token: { expires_at: REDACTED, user: { name: REDACTED } },
      harmless: 'kept'
    })
  })

  it("hides each parameter's value, keeping its name, in a list or a map", () => {
    const body = {
      result: {
        parameters: [
          { name: 'codeBranch', value: 'master', secret: false, type: 'string' },
          { name: 'DEPLOY_KEY', value: 'never-masked-secret', default_value: 'old-secret' },
          'bare-secret',
          null
        ],
        parameter: { a: { name: 'A', value: 'map-secret' }, b: 'map-bare-secret' },
        params: 'string-secret'
      }
    }
    const line = answerLogLine(ENDPOINT, 200, JSON.stringify(body))
    for (const secret of [
      'master',
      'never-masked-secret',
      'old-secret',
      'bare-secret',
      'map-secret',
      'string-secret'
    ])
      expect(line).not.toContain(secret)
    expect(JSON.parse(bodyOf(line)).result.parameters).toEqual([
      { name: 'codeBranch', value: REDACTED, secret: false, type: 'string' },
      { name: 'DEPLOY_KEY', value: REDACTED, default_value: REDACTED },
      REDACTED,
      REDACTED
    ])
  })

  it('hides the value of any {name, value} object, whatever the key above it', () => {
    const body = {
      result: {
        build_params: [{ name: 'A', value: 'build-param-secret' }],
        job: { env: [{ name: 'B', value: { nested: 'object-secret' }, type: 'string' }] },
        named: { name: 'only a name' }
      }
    }
    const line = answerLogLine(ENDPOINT, 200, JSON.stringify(body))
    expect(line).not.toContain('build-param-secret')
    expect(line).not.toContain('object-secret')
    expect(JSON.parse(bodyOf(line)).result).toEqual({
      build_params: [{ name: 'A', value: REDACTED }],
      job: { env: [{ name: 'B', value: REDACTED, type: 'string' }] },
      named: { name: 'only a name' }
    })
  })

  it('hides the whole value of a secret pair in text, spaces included, and keeps what follows', () => {
    const line = (body: string): string => answerLogLine(ENDPOINT, 401, body)
    expect(line('Authorization: Bearer abcdefSECRET123')).toBe(
      `answer ${ENDPOINT}: HTTP 401: Authorization: ${REDACTED}`
    )
    expect(line('password=hunter two&user=bob')).toBe(
      `answer ${ENDPOINT}: HTTP 401: password=${REDACTED}&user=bob`
    )
    expect(line('user: bob password: my secret phrase; next: 1')).toBe(
      `answer ${ENDPOINT}: HTTP 401: user: bob password: ${REDACTED}; next: 1`
    )
    expect(line('x-auth-token: MIIshort part\nstatus: 401')).toContain(`status: 401`)
    expect(line('x-auth-token: MIIshort part\nstatus: 401')).not.toContain('part')
  })

  it('hides tokens by their look wherever they are', () => {
    const body = { status: 'fail', error: { error_msg: `bad token ${JWT} or ${IAM_TOKEN}` } }
    const line = answerLogLine(ENDPOINT, 401, JSON.stringify(body))
    expect(line).not.toContain(JWT)
    expect(line).not.toContain('MIIEdemo')
    expect(line).toContain(`bad token ${REDACTED} or ${REDACTED}`)
  })

  it("leaves a live-log chunk's text out, keeping offsets and has_more", () => {
    const log = '[ERROR] build failed\n::error::x\n'.repeat(100)
    const body = {
      status: 'success',
      result: { has_more: true, start_offset: '0', end_offset: '3100', log, location: 'x' }
    }
    const line = answerLogLine('GET /v1/log/j/7/real-time-log', 200, JSON.stringify(body))
    expect(line).not.toContain('build failed')
    expect(line).toContain('"has_more":true,"start_offset":"0","end_offset":"3100"')
    expect(line).toContain(`"log":"(${log.length} characters, not logged)"`)
    const old = answerLogLine(
      'GET /v3/jobs/j/7/real-time-log',
      200,
      JSON.stringify({ has_more_data: false, offset: 5, content: 'secret output' })
    )
    expect(old).not.toContain('secret output')
  })

  it('removes secrets before cutting, and cuts at 4 KiB between characters', () => {
    // The secret straddles the cut: hidden whole, not cut in two and shown in part.
    const body = JSON.stringify({
      filler: '构'.repeat(1350),
      password: 'p'.repeat(10_000),
      after: 'z'
    })
    const line = answerLogLine(ENDPOINT, 200, body)
    expect(line).not.toContain('ppp')
    expect(line).toContain(`"password":"${REDACTED}"`)
    const big = JSON.stringify({ text: '构'.repeat(5000) })
    const cut = bodyOf(answerLogLine(ENDPOINT, 200, big))
    expect(cut.endsWith('…')).toBe(true)
    expect(Buffer.byteLength(cut.slice(0, -1))).toBeLessThanOrEqual(ANSWER_LOG_BYTES)
    expect(Buffer.byteLength(cut.slice(0, -1))).toBeGreaterThan(ANSWER_LOG_BYTES - 3)
    expect(cut).not.toContain('\ufffd')
  })

  it('is one inert line whatever the body holds', () => {
    const bodies = [
      JSON.stringify({ msg: 'a\nb\r\n::error title=x::pwned\u2028##[warning]y' }),
      '::add-mask::x\n::error::pwned\n',
      '<html>\n<body>::set-output name=a::b</body></html>',
      '\u202e\u0000\u001b[31m',
      'x'.repeat(5 * 1024 * 1024)
    ]
    for (const body of bodies) {
      const line = answerLogLine('GET /v1/x::y', 500, body)
      expect(line).not.toMatch(/[\p{Cc}\u2028\u2029\u202e]/u)
      expect(line).not.toContain('::')
      expect(line).not.toContain('##[')
      expect(line.startsWith('answer ')).toBe(true)
      expect(Buffer.byteLength(line)).toBeLessThan(ANSWER_LOG_BYTES + 200)
    }
  })

  it('shows a body that is not JSON as text, hiding secret-looking pairs', () => {
    const cases: [string, string[]][] = [
      ['<html><h1>502 Bad Gateway</h1></html>', []],
      ['{"access":"AK1","secret":"SK1","value":"val1", "name":"n"', ['AK1', 'SK1', 'val1']],
      ['{"credential": {"securitytoken": "cut-in-the-middl', ['cut-in-the-middl']],
      ['access_token=abc123&state=ok', ['abc123']],
      ['X-Subject-Token: xyz789\npassword = hunter2', ['xyz789', 'hunter2']],
      [`token ${JWT} seen`, [JWT]]
    ]
    for (const [body, secrets] of cases) {
      const line = answerLogLine(ENDPOINT, 200, body)
      for (const secret of secrets) expect(line).not.toContain(secret)
    }
    expect(answerLogLine(ENDPOINT, 502, '<h1>502 Bad Gateway</h1>')).toBe(
      `answer ${ENDPOINT}: HTTP 502: <h1>502 Bad Gateway</h1>`
    )
    expect(answerLogLine(ENDPOINT, 200, '{"name":"n", "value":"val1"')).toContain('"name":"n"')
  })
})
