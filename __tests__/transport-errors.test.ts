import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startCodeArts, type CodeArtsEmulator } from '../__fixtures__/codearts-server.js'
import { startIam } from '../__fixtures__/iam-server.js'
import { RECORD_ID } from '../__fixtures__/sample.js'
import { createAuthenticator } from '../src/codearts/authenticator.js'
import { CodeArtsClient, type Endpoint } from '../src/codearts/client.js'
import { OIDC_SIGN_IN_TITLE } from '../src/constants.js'
import { RequestTimeoutError, errorTitle } from '../src/errors.js'
import { RetriesExhaustedError, type RetryPolicy } from '../src/http/retry.js'
import { ExchangeRefusedError } from '../src/http/transport.js'
import { exchangeIdToken } from '../src/signin/iam-client.js'
import { requestIdToken } from '../src/signin/id-token.js'

const ONCE: RetryPolicy = { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, retryAfterCapMs: 1 }
const TWICE: RetryPolicy = { ...ONCE, maxAttempts: 2 }
const STAGES = `/v1/record/${RECORD_ID}/full-stages`
const CODEARTS_ADVICE =
  "Check endpoint (or region): it must be the CodeArts Build API's own address, with no gateway or proxy in between that redirects it or answers in its place."
// Paths the emulator never answers, for the time-outs.
const SILENT = '/silent'

let api: CodeArtsEmulator

beforeAll(async () => {
  api = await startCodeArts({
    intercept: (_req, res, url) => {
      if (url.pathname === SILENT) return true
      if (url.pathname !== '/id-token') return false
      res.writeHead(302, { Location: 'http://127.0.0.1:9/elsewhere' }).end()
      return true
    }
  })
})

afterAll(async () => {
  await api.close()
})

function client(timeoutMs = 10_000): CodeArtsClient {
  return new CodeArtsClient({
    endpoint: new URL(api.url),
    authenticator: createAuthenticator({ method: 'token', token: 't' }),
    timeoutMs
  })
}

/** What a CodeArts call fails with. */
async function failureOf(pathname: string, timeoutMs?: number, retry = ONCE): Promise<unknown> {
  const codearts = client(timeoutMs)
  const endpoint: Endpoint<unknown> = { pathname, read: answer => answer }
  try {
    await codearts.call(endpoint, { retry })
    throw new Error('the call succeeded')
  } catch (error) {
    return error
  } finally {
    codearts.dispose()
  }
}

describe('exchanges the transport refuses, as the CodeArts client words them', () => {
  it('a redirect to another scheme: titled, saying what was refused and what to check', async () => {
    api.script(STAGES, [{ status: 302, body: '', headers: { Location: 'https://example.com/x' } }])
    const error = await failureOf(STAGES)
    expect(error).toBeInstanceOf(ExchangeRefusedError)
    expect(error).toMatchObject({
      refusal: 'redirect refused',
      title: 'CodeArts Build API: redirect refused',
      message: `refused a redirect from http:// to https://example.com: only http:// is followed. ${CODEARTS_ADVICE}`
    })
  })

  it('redirects that do not end', async () => {
    const self = { status: 307, body: '', headers: { Location: `${api.url}${STAGES}` } }
    api.script(
      STAGES,
      Array.from({ length: 6 }, () => self)
    )
    expect(await failureOf(STAGES)).toMatchObject({
      title: 'CodeArts Build API: too many redirects',
      message: `stopped after 5 redirects (last to ${api.url}). ${CODEARTS_ADVICE}`
    })
  })

  it('an answer far larger than any real one', async () => {
    api.script(STAGES, [{ status: 200, body: `{"result":"${'x'.repeat(5 * 1024 * 1024)}"}` }])
    expect(await failureOf(STAGES)).toMatchObject({
      title: 'CodeArts Build API: answer too large',
      message: `the response was larger than 4 MiB, far above any real answer; it was not read. ${CODEARTS_ADVICE}`
    })
  })
})

describe('a request that gets no answer in time', () => {
  it('fails with a RequestTimeoutError naming the request and the input, and is retried', async () => {
    const error = await failureOf(SILENT, 300, TWICE)
    expect(error).toBeInstanceOf(RetriesExhaustedError)
    const cause = (error as RetriesExhaustedError).cause
    expect(cause).toBeInstanceOf(RequestTimeoutError)
    expect(cause).toMatchObject({
      message: 'no answer to GET /silent within 0.3 s (timeout-seconds)'
    })
    expect(api.requests.filter(r => r.path === SILENT)).toHaveLength(2)
  })
})

describe('refusals in sign-in keep the sign-in title', () => {
  it('IAM redirecting elsewhere: says what was kept back and to check iam-endpoint', async () => {
    const iam = await startIam({
      providers: {},
      script: [{ status: 302, body: '', headers: { Location: 'https://iam.example.net/v3' } }]
    })
    try {
      const exchange = exchangeIdToken(
        'id-token',
        {
          identityProvider: 'idp',
          audience: 'aud',
          iamEndpoint: new URL(iam.url),
          region: 'cn-north-4'
        },
        { timeoutMs: 5000, retry: TWICE }
      )
      await expect(exchange).rejects.toMatchObject({
        title: OIDC_SIGN_IN_TITLE,
        message:
          `IAM redirected to https://iam.example.net; the ID token is only sent to ${iam.url}. ` +
          "Check iam-endpoint: it must be the IAM endpoint of the identity provider's region, with no gateway or proxy in between that redirects it or answers in its place."
      })
      // Refused once, not retried.
      expect(iam.requests).toHaveLength(1)
    } finally {
      await iam.close()
    }
  })

  it("the ID-token service redirecting elsewhere: the runner's URL, then the job's advice", async () => {
    const env = {
      ACTIONS_ID_TOKEN_REQUEST_URL: `${api.url}/id-token?api-version=2.0`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token'
    }
    const failure = await requestIdToken('aud', env, 5000).catch((error: unknown) => error)
    expect(errorTitle(failure)).toBe(OIDC_SIGN_IN_TITLE)
    expect((failure as Error).cause).toBeInstanceOf(ExchangeRefusedError)
    expect((failure as Error).message).toBe(
      `Could not get the job's ID token for audience "aud": GitHub's ID-token service redirected to http://127.0.0.1:9; the request token is only sent to ${api.url}. ` +
        'The runner gave its URL (ACTIONS_ID_TOKEN_REQUEST_URL): a proxy between the runner and GitHub may redirect it or answer in its place. ' +
        'Check that the job has `permissions: id-token: write`; retry the job if GitHub had trouble.'
    )
  })

  it('the ID-token service not answering: a RequestTimeoutError under the sign-in title', async () => {
    const env = {
      ACTIONS_ID_TOKEN_REQUEST_URL: `${api.url}${SILENT}?api-version=2.0`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token'
    }
    const failure = await requestIdToken('aud', env, 300).catch((error: unknown) => error)
    expect(errorTitle(failure)).toBe(OIDC_SIGN_IN_TITLE)
    expect((failure as Error).cause).toBeInstanceOf(RequestTimeoutError)
    // The request's own time-out and the limit on the whole exchange are both 0.3 s: either ends it.
    expect((failure as Error).message).toMatch(
      /GitHub's ID-token service gave no answer in 0\.3 s|no answer to GET \/silent within 0\.3 s/
    )
  })
})
