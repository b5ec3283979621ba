import { describe, expect, it } from '@jest/globals'
import { errorTitle } from '../src/errors.js'
import { parseApiError } from '../src/http/api-error.js'
import { FederatedAuthenticator } from '../src/signin/federated-authenticator.js'
import {
  exchangeAdvice,
  exchangeBody,
  parseExpiresAt,
  IamApiError,
  readExchangeAnswer,
  type FederatedToken
} from '../src/signin/iam-exchange.js'
import { requestIdToken } from '../src/signin/id-token.js'
import { startIdTokenService } from '../__fixtures__/oidc-server.js'

describe('exchangeBody', () => {
  it('scopes to the project ID when given, else to the region by name', () => {
    expect(JSON.parse(exchangeBody('jwt', { projectId: 'p1', region: 'cn-north-4' }))).toEqual({
      auth: { id_token: { id: 'jwt' }, scope: { project: { id: 'p1' } } }
    })
    expect(JSON.parse(exchangeBody('jwt', { region: 'ap-southeast-1' }))).toEqual({
      auth: { id_token: { id: 'jwt' }, scope: { project: { name: 'ap-southeast-1' } } }
    })
  })
})

describe('parseExpiresAt', () => {
  it("reads IAM's microsecond timestamps", () => {
    expect(
      parseExpiresAt('{"token":{"expires_at":"2026-12-03T08:56:33.710000Z"}}')?.toISOString()
    ).toBe('2026-12-03T08:56:33.710Z')
    expect(parseExpiresAt('{"token":{"expires_at":"2026-12-03T08:56:33Z"}}')?.getTime()).toBe(
      Date.UTC(2026, 11, 3, 8, 56, 33)
    )
  })

  it('gives undefined for a body without a readable expiry', () => {
    for (const body of [
      '',
      'null',
      '[]',
      '{}',
      '{"token":null}',
      '{"token":{"expires_at":42}}',
      '{"token":{"expires_at":"soon"}}'
    ]) {
      expect(parseExpiresAt(body)).toBeUndefined()
    }
  })
})

describe('readExchangeAnswer', () => {
  it('takes the token from X-Subject-Token and refuses an answer without one', () => {
    expect(readExchangeAnswer('MIIfed', '{"token":{}}')).toEqual({
      value: 'MIIfed',
      expiresAt: undefined
    })
    expect(() => readExchangeAnswer(undefined, '{"token":{}}')).toThrow(
      'IAM accepted the ID token but sent no X-Subject-Token; it began: {"token":{}}'
    )
  })
})

describe('exchangeAdvice', () => {
  it('gives the identity provider checklist for 400 and 401', () => {
    for (const status of [400, 401]) {
      const advice = exchangeAdvice(status, 'idp-1', 'my-client')
      expect(advice).toContain(
        'identity provider URL must be https://token.actions.githubusercontent.com'
      )
      expect(advice).toContain('client ID must equal the audience input ("my-client")')
      expect(advice).toContain('https://token.actions.githubusercontent.com/.well-known/jwks')
      expect(advice).toContain('repo:OWNER/REPO:ref:refs/heads/main')
    }
  })

  it('names the provider ID for 403 and 404, and says to retry for server failures', () => {
    expect(exchangeAdvice(403, 'idp-1', 'a')).toContain('Check identity-provider ("idp-1")')
    expect(exchangeAdvice(404, 'idp-1', 'a')).toContain('programmatic access')
    expect(exchangeAdvice(503, 'idp-1', 'a')).toContain('retry the job later')
    expect(exchangeAdvice(409, 'idp-1', 'a')).toBe(
      'Check identity-provider, audience and iam-endpoint.'
    )
  })
})

describe('IAM errors', () => {
  it('reads both IAM error shapes', () => {
    expect(parseApiError(401, '{"error":{"code":"IAM.0047","message":"bad token"}}')).toMatchObject(
      {
        errorCode: 'IAM.0047',
        errorMsg: 'bad token'
      }
    )
    expect(parseApiError(403, '{"error_code":"IAM.0003","error_msg":"denied"}')).toMatchObject({
      errorCode: 'IAM.0003',
      errorMsg: 'denied'
    })
  })

  it('titles every sign-in failure the same way', () => {
    const error = new IamApiError(parseApiError(404, '{}'), 'IAM did not exchange', 'Check it.')
    expect(error.message).toBe('IAM did not exchange: IAM answered 404 (body: {}). Check it.')
    expect(errorTitle(new Error('wrapped', { cause: error }))).toBe(
      'Could not sign in with OpenID Connect'
    )
  })
})

describe('requestIdToken', () => {
  it('fails without the runner variables, before asking anyone, saying which are missing', async () => {
    await expect(requestIdToken('aud', {}, 1000)).rejects.toMatchObject({
      title: 'Could not sign in with OpenID Connect',
      message: expect.stringContaining(
        'ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set'
      )
    })
    await expect(
      requestIdToken('aud', { ACTIONS_ID_TOKEN_REQUEST_TOKEN: 't' }, 1000)
    ).rejects.toThrow(/ACTIONS_ID_TOKEN_REQUEST_URL is not set.*permissions: id-token: write/)
  })

  it('asks the URL of the env it is given, with its request token, not those of process.env', async () => {
    const service = await startIdTokenService({ requestToken: 'req-token', subject: 'repo:o/r' })
    const saved = [
      process.env.ACTIONS_ID_TOKEN_REQUEST_URL,
      process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN
    ]
    delete process.env.ACTIONS_ID_TOKEN_REQUEST_URL
    delete process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN
    try {
      const env = {
        ACTIONS_ID_TOKEN_REQUEST_URL: service.requestUrl,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'req-token'
      }
      const token = await requestIdToken('sts.example/a b', env, 5000)
      expect(token).toBe(service.issued.at(-1))
      expect(service.audiences).toEqual(['sts.example/a b'])
      await expect(
        requestIdToken('aud', { ...env, ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'wrong' }, 5000)
      ).rejects.toMatchObject({
        title: 'Could not sign in with OpenID Connect',
        message: expect.stringContaining("GitHub's ID-token service answered 401")
      })
    } finally {
      if (saved[0] !== undefined) process.env.ACTIONS_ID_TOKEN_REQUEST_URL = saved[0]
      if (saved[1] !== undefined) process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = saved[1]
      await service.close()
    }
  })
})

describe('FederatedAuthenticator', () => {
  const EXPIRES = new Date(Date.UTC(2026, 0, 1, 12, 0, 0))
  const request = { method: 'GET', url: new URL('https://api.example/x'), headers: { Accept: 'a' } }

  function authenticator(next: FederatedToken[]) {
    const calls: number[] = []
    const auth = new FederatedAuthenticator(
      'test',
      { value: 'first', expiresAt: EXPIRES },
      async () => {
        calls.push(calls.length)
        return next.shift()!
      },
      'p1'
    )
    return { auth, calls }
  }

  it('sends the current token and project', () => {
    const { auth } = authenticator([])
    expect(auth.authenticate(request)).toEqual({
      Accept: 'a',
      'X-Project-Id': 'p1',
      'X-Auth-Token': 'first'
    })
  })

  it('renews only once less than 5 minutes are left', async () => {
    const { auth, calls } = authenticator([{ value: 'second' }])
    await auth.ready(new Date(EXPIRES.getTime() - 5 * 60_000 - 1))
    expect(calls).toHaveLength(0)
    await auth.ready(new Date(EXPIRES.getTime() - 5 * 60_000))
    expect(calls).toHaveLength(1)
    expect(auth.authenticate(request)['X-Auth-Token']).toBe('second')
    // The new token has no expiry: no further renewals before a request.
    await auth.ready(new Date(EXPIRES.getTime() + 3_600_000))
    expect(calls).toHaveLength(1)
  })

  it('shares one exchange among requests refused at the same time', async () => {
    const { auth, calls } = authenticator([{ value: 'second' }, { value: 'third' }])
    expect(await Promise.all([auth.renew(), auth.renew(), auth.renew()])).toEqual([
      true,
      true,
      true
    ])
    expect(calls).toHaveLength(1)
    await auth.renew()
    expect(auth.authenticate(request)['X-Auth-Token']).toBe('third')
  })
})
