import { createHash, createHmac } from 'node:crypto'
import * as http from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  expectedSignature,
  gatewayCanonicalRequest,
  type ReceivedRequest
} from '../__fixtures__/aksk-verifier.js'
import { startCodeArts, type CodeArtsEmulator } from '../__fixtures__/codearts-server.js'
import { RECORD_ID, SAMPLE_LOGS } from '../__fixtures__/sample.js'
import { canonicalRequest, formatSdkDate, signRequest } from '../src/codearts/signer.js'

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex')

function sdkVector(method: string, body?: string): ReceivedRequest {
  return {
    method,
    target: '/resources?size=1',
    headers: {
      host: 'service.endpoint.myhuaweicloud.com',
      'x-sdk-date': '20200608T023900Z',
      test_underscore: 'value'
    },
    body
  }
}

describe('the emulator verifies the published vectors on its own', () => {
  it('SDK GET', () => {
    expect(expectedSignature(sdkVector('GET'), ['host', 'x-sdk-date'], 'SecretKey')).toBe(
      'cfb4171acec81de07d50e53d57eb77edd537414d66ddb1d7d780f128e12cd842'
    )
  })

  it('SDK POST, whose body is hashed', () => {
    const post = sdkVector('POST', '{"name":"test","id":1}')
    expect(expectedSignature(post, ['host', 'x-sdk-date'], 'SecretKey')).toBe(
      '436b1ac0a1ae03705934bb70ef2f2e09f7bfed2117d731a38235053199323a1f'
    )
  })

  it('signing guide, canonical request and signature', () => {
    const guide: ReceivedRequest = {
      method: 'GET',
      target:
        '/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0',
      headers: {
        'content-type': 'application/json',
        host: 'service.region.example.com',
        'x-sdk-date': '20191115T033655Z'
      }
    }
    const signed = ['content-type', 'host', 'x-sdk-date']
    expect(sha256(gatewayCanonicalRequest(guide, signed))).toBe(
      'b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a'
    )
    expect(expectedSignature(guide, signed, 'MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc')).toBe(
      '7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe'
    )
  })

  it('sorts the query and encodes reserved characters whatever order and form they arrive in', () => {
    const canonical = gatewayCanonicalRequest(
      { method: 'get', target: '/a%20b/c!d?z=1&a=x+y&a=%27w%27', headers: {} },
      []
    ).split('\n')
    expect(canonical.slice(0, 3)).toEqual(['GET', '/a%20b/c%21d/', 'a=%27w%27&a=x%20y&z=1'])
  })
})

describe('the emulator refuses a signature that only the signer believes in', () => {
  const AK = 'VERIFIERTESTAK000001'
  const SK = 'verifier-test-secret-key'
  let api: CodeArtsEmulator

  beforeAll(async () => {
    api = await startCodeArts({
      keys: { [AK]: { secret: SK } },
      logs: { [RECORD_ID]: SAMPLE_LOGS }
    })
  })
  afterAll(() => api.close())

  // Unsorted on purpose, so that a signer that forgot to sort would differ from the gateway.
  const target = () =>
    new URL(`${api.url}/v1/log/${RECORD_ID}/task-log?task_name=stage1&log_level=INFO`)

  function send(
    url: URL,
    headers: Record<string, string>
  ): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = http.request(url, { headers }, res => {
        let body = ''
        res.setEncoding('utf8').on('data', chunk => (body += chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      })
      req.on('error', reject).end()
    })
  }

  /** Signs with the project's canonical request after `mistake` changed one line of it. */
  function signWithMistake(url: URL, line: number, mistake: (text: string) => string) {
    const headers = { Host: url.host, 'X-Sdk-Date': formatSdkDate(new Date()) }
    const { canonical, signedHeaders } = canonicalRequest({ method: 'GET', url, headers })
    const lines = canonical.split('\n')
    lines[line] = mistake(lines[line])
    const wrong = lines.join('\n')
    expect(wrong).not.toBe(canonical)
    const stringToSign = `SDK-HMAC-SHA256\n${headers['X-Sdk-Date']}\n${sha256(wrong)}`
    const signature = createHmac('sha256', SK).update(stringToSign).digest('hex')
    return {
      ...headers,
      Authorization: `SDK-HMAC-SHA256 Access=${AK}, SignedHeaders=${signedHeaders}, Signature=${signature}`
    }
  }

  it('accepts the request the project signer signs correctly', async () => {
    const url = target()
    const answer = await send(
      url,
      signRequest(
        { method: 'GET', url, headers: {} },
        { accessKeyId: AK, secretAccessKey: SK },
        new Date()
      )
    )
    expect(answer).toEqual({ status: 200, body: SAMPLE_LOGS.stage1 })
  })

  it.each([
    ['a canonical URI without its trailing /', 1, (uri: string) => uri.replace(/\/$/, '')],
    ['the query left unsorted', 2, () => 'task_name=stage1&log_level=INFO'],
    ['a lower-case method', 0, (method: string) => method.toLowerCase()]
  ])('answers 401 APIGW.0301 to %s', async (_what, line, mistake) => {
    const url = target()
    const answer = await send(url, signWithMistake(url, line, mistake))
    expect(answer.status).toBe(401)
    expect(JSON.parse(answer.body)).toMatchObject({
      error_code: 'APIGW.0301',
      error_msg: expect.stringContaining('signature mismatch')
    })
  })
})
