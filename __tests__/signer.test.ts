import { createHash, createHmac } from 'node:crypto'
import { describe, expect, it } from '@jest/globals'
import {
  canonicalRequest,
  formatSdkDate,
  signRequest,
  type SigningKey,
  type SigningRequest
} from '../src/codearts/signer.js'

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
const SDK_KEY: SigningKey = { accessKeyId: 'AccessKey', secretAccessKey: 'SecretKey' }
const GUIDE_KEY: SigningKey = {
  accessKeyId: 'QTWAOYTTINDUT2QVKYUC',
  secretAccessKey: 'MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc'
}
// Any `now` the vectors must ignore, because they fix the date through the header.
const UNUSED_NOW = new Date(Date.UTC(2030, 0, 1, 0, 0, 0))

const sdkGet = (): SigningRequest => ({
  method: 'GET',
  url: new URL('https://service.endpoint.myhuaweicloud.com/resources?size=1'),
  headers: { 'X-Sdk-Date': '20200608T023900Z', TEST_UNDERSCORE: 'value' }
})

const guideGet = (contentType = 'application/json'): SigningRequest => ({
  method: 'GET',
  url: new URL(
    'https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0'
  ),
  headers: { 'Content-Type': contentType, 'X-Sdk-Date': '20191115T033655Z' }
})

const SDK_GET_SIGNATURE = 'cfb4171acec81de07d50e53d57eb77edd537414d66ddb1d7d780f128e12cd842'
const SDK_POST_SIGNATURE = '436b1ac0a1ae03705934bb70ef2f2e09f7bfed2117d731a38235053199323a1f'
const GUIDE_SIGNATURE = '7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe'

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex')

/** Query part (third line) of the canonical request for a GET of `url`. */
function canonicalQuery(url: string): string {
  return canonicalRequest({
    method: 'GET',
    url: new URL(url),
    headers: { 'X-Sdk-Date': 'd' }
  }).canonical.split('\n')[2]
}

/** Path part (second line) of the canonical request for a GET of `url`. */
function canonicalPath(url: string): string {
  return canonicalRequest({
    method: 'GET',
    url: new URL(url),
    headers: { 'X-Sdk-Date': 'd' }
  }).canonical.split('\n')[1]
}

describe('published test vectors', () => {
  it('reproduces the SDK GET vector and leaves TEST_UNDERSCORE unsigned', () => {
    const headers = signRequest(sdkGet(), SDK_KEY, UNUSED_NOW)
    expect(headers).toEqual({
      'X-Sdk-Date': '20200608T023900Z',
      TEST_UNDERSCORE: 'value',
      Host: 'service.endpoint.myhuaweicloud.com',
      Authorization:
        'SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, ' +
        `Signature=${SDK_GET_SIGNATURE}`
    })
  })

  it('reproduces the SDK POST vector', () => {
    const req = { ...sdkGet(), method: 'POST', body: '{"name":"test","id":1}' }
    expect(signRequest(req, SDK_KEY, UNUSED_NOW).Authorization).toBe(
      'SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, ' +
        `Signature=${SDK_POST_SIGNATURE}`
    )
  })

  it('hashes a Buffer body the same as the equal string', () => {
    const req = { ...sdkGet(), method: 'POST', body: Buffer.from('{"name":"test","id":1}') }
    expect(signRequest(req, SDK_KEY, UNUSED_NOW).Authorization).toContain(
      `Signature=${SDK_POST_SIGNATURE}`
    )
  })

  it('reproduces the signing guide vector, including the canonical request hash', () => {
    const req = guideGet()
    const { canonical, signedHeaders } = canonicalRequest({
      ...req,
      headers: { ...req.headers, Host: 'service.region.example.com' }
    })
    expect(canonical).toBe(
      [
        'GET',
        '/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/',
        'limit=2&marker=13551d6b-755d-4757-b956-536f674975c0',
        'content-type:application/json',
        'host:service.region.example.com',
        'x-sdk-date:20191115T033655Z',
        '',
        'content-type;host;x-sdk-date',
        EMPTY_SHA256
      ].join('\n')
    )
    expect(sha256(canonical)).toBe(
      'b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a'
    )
    expect(signedHeaders).toBe('content-type;host;x-sdk-date')
    expect(signRequest(req, GUIDE_KEY, UNUSED_NOW).Authorization).toBe(
      'SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, ' +
        `Signature=${GUIDE_SIGNATURE}`
    )
  })

  it('derives the same canonical request when Host is not given', () => {
    const { canonical } = canonicalRequest(guideGet())
    expect(sha256(canonical)).toBe(
      'b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a'
    )
  })
})

describe('headers', () => {
  it('matches header names case-insensitively', () => {
    const req: SigningRequest = {
      ...sdkGet(),
      headers: {
        'x-sdk-date': '20200608T023900Z',
        HOST: 'service.endpoint.myhuaweicloud.com',
        TEST_UNDERSCORE: 'value'
      }
    }
    const headers = signRequest(req, SDK_KEY, UNUSED_NOW)
    expect(Object.keys(headers).sort()).toEqual([
      'Authorization',
      'HOST',
      'TEST_UNDERSCORE',
      'x-sdk-date'
    ])
    expect(headers.Authorization).toContain(`Signature=${SDK_GET_SIGNATURE}`)
  })

  it('trims header values before signing', () => {
    const headers = signRequest(guideGet('  application/json \t'), GUIDE_KEY, UNUSED_NOW)
    expect(headers.Authorization).toContain(`Signature=${GUIDE_SIGNATURE}`)
    expect(headers['Content-Type']).toBe('  application/json \t')
  })

  it('signs a non-default port as part of Host', () => {
    const req: SigningRequest = {
      method: 'GET',
      url: new URL('https://127.0.0.1:8443/v1/log'),
      headers: { 'X-Sdk-Date': '20240102T030405Z' }
    }
    const headers = signRequest(req, SDK_KEY, UNUSED_NOW)
    expect(headers.Host).toBe('127.0.0.1:8443')
    expect(canonicalRequest({ ...req, headers }).canonical).toBe(
      [
        'GET',
        '/v1/log/',
        '',
        'host:127.0.0.1:8443',
        'x-sdk-date:20240102T030405Z',
        '',
        'host;x-sdk-date',
        EMPTY_SHA256
      ].join('\n')
    )
  })

  it.each([
    ['https://h.example.com:443/x', 'h.example.com'],
    ['http://h.example.com:80/x', 'h.example.com'],
    ['http://h.example.com:443/x', 'h.example.com:443'],
    ['https://h.example.com:80/x', 'h.example.com:80']
  ])('derives Host from %s as %s', (url, host) => {
    const req: SigningRequest = { method: 'GET', url: new URL(url), headers: {} }
    const headers = signRequest(req, SDK_KEY, UNUSED_NOW)
    expect(headers.Host).toBe(host)
    expect(canonicalRequest({ ...req, headers }).canonical).toContain(`\nhost:${host}\n`)
  })

  it('skips header names containing an underscore but still returns them', () => {
    const req: SigningRequest = {
      method: 'GET',
      url: new URL('https://h.example.com/'),
      headers: { 'X-Sdk-Date': '20240102T030405Z', X_Custom: 'a', 'X-Custom': 'b' }
    }
    const headers = signRequest(req, SDK_KEY, UNUSED_NOW)
    expect(headers.X_Custom).toBe('a')
    expect(headers.Authorization).toContain('SignedHeaders=host;x-custom;x-sdk-date,')
    expect(canonicalRequest({ ...req, headers }).canonical).not.toContain('x_custom')
  })

  it('signs X-Security-Token and X-Project-Id when present', () => {
    const req: SigningRequest = {
      method: 'GET',
      url: new URL('https://cloudbuild-ext.cn-north-4.myhuaweicloud.com/v1/record/r/info'),
      headers: {
        'X-Sdk-Date': '20240102T030405Z',
        'X-Security-Token': 'token-value',
        'X-Project-Id': 'project-id'
      }
    }
    const { canonical, signedHeaders } = canonicalRequest(req)
    expect(signedHeaders).toBe('host;x-project-id;x-sdk-date;x-security-token')
    expect(canonical).toBe(
      [
        'GET',
        '/v1/record/r/info/',
        '',
        'host:cloudbuild-ext.cn-north-4.myhuaweicloud.com',
        'x-project-id:project-id',
        'x-sdk-date:20240102T030405Z',
        'x-security-token:token-value',
        '',
        'host;x-project-id;x-sdk-date;x-security-token',
        EMPTY_SHA256
      ].join('\n')
    )
    expect(signRequest(req, SDK_KEY, UNUSED_NOW).Authorization).toContain(
      'SignedHeaders=host;x-project-id;x-sdk-date;x-security-token,'
    )
  })

  it('replaces a stale Authorization header instead of signing it', () => {
    const req = { ...sdkGet(), headers: { ...sdkGet().headers, authorization: 'old' } }
    const headers = signRequest(req, SDK_KEY, UNUSED_NOW)
    expect(headers.authorization).toBeUndefined()
    expect(headers.Authorization).toContain(`Signature=${SDK_GET_SIGNATURE}`)
    expect(canonicalRequest(req).signedHeaders).toBe('host;x-sdk-date')
    expect(canonicalRequest({ ...req, headers }).signedHeaders).toBe('host;x-sdk-date')
  })

  it('does not modify the caller headers', () => {
    const req = sdkGet()
    signRequest({ ...req, headers: {} }, SDK_KEY, UNUSED_NOW)
    signRequest(req, SDK_KEY, UNUSED_NOW)
    expect(req.headers).toEqual({ 'X-Sdk-Date': '20200608T023900Z', TEST_UNDERSCORE: 'value' })
  })

  it('rejects one header name given in two spellings', () => {
    const req = { ...sdkGet(), headers: { 'X-Sdk-Date': 'a', 'x-sdk-date': 'b' } }
    expect(() => signRequest(req, SDK_KEY, UNUSED_NOW)).toThrow(
      'Header x-sdk-date is given more than once'
    )
  })

  it('requires X-Sdk-Date for the canonical request', () => {
    expect(() =>
      canonicalRequest({ method: 'GET', url: new URL('https://h.example.com/'), headers: {} })
    ).toThrow('The request to sign has no X-Sdk-Date header')
  })
})

describe('canonical URI', () => {
  it('appends a slash for signing only', () => {
    expect(canonicalPath('https://h.example.com/v1/log/r/task-log')).toBe('/v1/log/r/task-log/')
  })

  it('does not give a trailing-slash path a second slash', () => {
    expect(canonicalPath('https://h.example.com/v1/log/')).toBe('/v1/log/')
    expect(canonicalPath('https://h.example.com')).toBe('/')
  })

  it('encodes segments per RFC 3986 without double-encoding escapes', () => {
    expect(canonicalPath("https://h.example.com/a b/é/c%2Fd/x(y)!*'/%c3%a9/~-_.")).toBe(
      '/a%20b/%C3%A9/c%2Fd/x%28y%29%21%2A%27/%C3%A9/~-_./'
    )
  })

  it('encodes a stray percent sign', () => {
    expect(canonicalPath('https://h.example.com/100%/50%zz')).toBe('/100%25/50%25zz/')
  })
})

describe('canonical query string', () => {
  it('sorts by key then value and encodes spaces, unicode and reserved characters', () => {
    expect(
      canonicalQuery(
        "https://h.example.com/p?b=x%20y&a=2&q=a+b&a=1&u=%C3%A9&r=%2F%3F%26%3D%2B&t=~-_.!*'()&k&%E4%B8%AD=%F0%9F%98%80"
      )
    ).toBe(
      'a=1&a=2&b=x%20y&k=&q=a%20b&r=%2F%3F%26%3D%2B&t=~-_.%21%2A%27%28%29&u=%C3%A9&%E4%B8%AD=%F0%9F%98%80'
    )
  })

  it('uses the task-log query as given', () => {
    expect(
      canonicalQuery(
        'https://h.example.com/v1/log/r/task-log?task_name=stage1&log_level=INFO&compress=false'
      )
    ).toBe('compress=false&log_level=INFO&task_name=stage1')
  })

  it('sorts by the raw key, not by its encoded form', () => {
    expect(canonicalQuery('https://h.example.com/?a%7B=1&ab=2')).toBe('ab=2&a%7B=1')
  })

  it('sorts by UTF-8 bytes, where U+FF21 precedes an astral character', () => {
    expect(canonicalQuery('https://h.example.com/?%F0%9F%98%80=2&%EF%BC%A1=1')).toBe(
      '%EF%BC%A1=1&%F0%9F%98%80=2'
    )
  })
})

describe('signing time', () => {
  const request = (): SigningRequest => ({
    method: 'GET',
    url: new URL('https://h.example.com/v1/x'),
    headers: {}
  })

  /** Expected signature for `request()` at `date`, computed here from a hand-written canonical form. */
  function expectedSignature(date: string): string {
    const canonical = [
      'GET',
      '/v1/x/',
      '',
      'host:h.example.com',
      `x-sdk-date:${date}`,
      '',
      'host;x-sdk-date',
      EMPTY_SHA256
    ].join('\n')
    const stringToSign = `SDK-HMAC-SHA256\n${date}\n${sha256(canonical)}`
    return createHmac('sha256', 'SecretKey').update(stringToSign).digest('hex')
  }

  it('sets X-Sdk-Date from now, and a different now gives a different signature', () => {
    const first = signRequest(request(), SDK_KEY, new Date(Date.UTC(2025, 5, 26, 6, 23, 32)))
    const second = signRequest(request(), SDK_KEY, new Date(Date.UTC(2025, 5, 26, 6, 23, 33)))
    expect(first['X-Sdk-Date']).toBe('20250626T062332Z')
    expect(second['X-Sdk-Date']).toBe('20250626T062333Z')
    expect(first.Authorization).toBe(
      'SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, ' +
        `Signature=${expectedSignature('20250626T062332Z')}`
    )
    expect(second.Authorization).toBe(
      'SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, ' +
        `Signature=${expectedSignature('20250626T062333Z')}`
    )
    expect(first.Authorization).not.toBe(second.Authorization)
  })
})

describe('formatSdkDate', () => {
  it('formats in UTC as YYYYMMDDTHHMMSSZ, dropping milliseconds', () => {
    expect(formatSdkDate(new Date(Date.UTC(2019, 10, 15, 3, 36, 55, 999)))).toBe('20191115T033655Z')
  })

  it('zero-pads every field', () => {
    expect(formatSdkDate(new Date(Date.UTC(2024, 0, 2, 3, 4, 5)))).toBe('20240102T030405Z')
  })

  it('converts a time given with an offset to UTC', () => {
    expect(formatSdkDate(new Date('2020-06-08T10:39:00+08:00'))).toBe('20200608T023900Z')
  })

  it('rejects an invalid date', () => {
    expect(() => formatSdkDate(new Date('not a date'))).toThrow(RangeError)
  })
})
