import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { ServerResponse } from 'node:http'
import { startCodeArts, type CodeArtsEmulator } from '../__fixtures__/codearts-server.js'
import { startIam, type IamEmulator } from '../__fixtures__/iam-server.js'
import { makeRuntimeToken } from '../__fixtures__/jwt.js'
import {
  GITHUB_ISSUER,
  startIdTokenService,
  type IdTokenService
} from '../__fixtures__/oidc-server.js'
import { startResultsService, type ResultsService } from '../__fixtures__/results-service.js'
import {
  expectExitCode,
  runAction,
  secretLeaks,
  terminateWhen,
  type StepRun
} from '../__fixtures__/run-action.js'
import { RECORD_ID, SAMPLE_LOGS } from '../__fixtures__/sample.js'
import { readZip } from '../__fixtures__/zip.js'

const REQUEST_TOKEN = 'gh-oidc-request-token-0123456789'
const SUBJECT = 'repo:octo-org/octo-repo:ref:refs/heads/main'
const PROVIDER = 'github-actions'
const STAGES = {
  a: { execution_stage_name: 'stage1', display_name: 'Checkout' },
  b: { execution_stage_name: 'stage2', display_name: 'Build' },
  c: { execution_stage_name: 'stage3', display_name: 'Upload' }
}
const TITLE = 'Could not sign in with OpenID Connect'
// Records 1…9 of the same logs, one per test, so one test's requests are easy to pick out.
const record = (n: number): string => RECORD_ID.replace(/.$/, String(n))

let idTokens: IdTokenService
let iam: IamEmulator
let results: ResultsService

beforeAll(async () => {
  idTokens = await startIdTokenService({ requestToken: REQUEST_TOKEN, subject: SUBJECT })
  const provider = {
    issuer: GITHUB_ISSUER,
    clientId: 'iam.myhuaweicloud.com',
    jwks: idTokens.jwks,
    allowedSubjects: [SUBJECT]
  }
  iam = await startIam({
    providers: {
      [PROVIDER]: provider,
      'other-repo': { ...provider, allowedSubjects: ['repo:octo-org/else:ref:refs/heads/main'] }
    }
  })
  results = await startResultsService()
})
afterAll(async () => {
  await idTokens.close()
  await iam.close()
  await results.close()
})

/** A CodeArts emulator serving records 1…9; `acceptToken` decides about the federated tokens. */
function startApi(acceptToken: (token: string) => boolean, extra = {}): Promise<CodeArtsEmulator> {
  const ids = [1, 2, 3, 4, 5, 6, 7, 8, 9].map(record)
  return startCodeArts({
    acceptToken,
    logs: Object.fromEntries(ids.map(id => [id, SAMPLE_LOGS])),
    stages: Object.fromEntries(ids.map(id => [id, STAGES])),
    ...extra
  })
}

/** The runner's environment of a job with `permissions: id-token: write`. */
function jobEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    ACTIONS_ID_TOKEN_REQUEST_URL: idTokens.requestUrl,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: REQUEST_TOKEN,
    ACTIONS_RUNTIME_TOKEN: makeRuntimeToken('run-backend-1', 'job-backend-1'),
    ACTIONS_RESULTS_URL: results.url,
    ...extra
  }
}

/** Only identity-provider, region and record-id, plus the emulators' URLs. */
function keyless(api: CodeArtsEmulator, n: number, extra: Record<string, string> = {}) {
  return {
    'identity-provider': PROVIDER,
    region: 'cn-north-4',
    'record-id': record(n),
    endpoint: api.url,
    'iam-endpoint': iam.url,
    ...extra
  }
}

function sinceNow<T>(list: T[]): () => T[] {
  const from = list.length
  return () => list.slice(from)
}

function signInError(run: StepRun) {
  const errors = run.annotations.filter(a => a.level === 'error')
  expect(errors).toHaveLength(1)
  expect(errors[0].title).toBe(TITLE)
  return errors[0].message
}

describe('keyless sign-in with OpenID Connect', () => {
  let api: CodeArtsEmulator
  beforeAll(async () => {
    api = await startApi(token => iam.isValid(token))
  })
  afterAll(() => api.close())

  it('fetches every stage and uploads them with nothing but identity-provider, region and record-id', async () => {
    const exchanges = sinceNow(iam.requests)
    const issuedIdTokens = sinceNow(idTokens.issued)
    const apiRequests = sinceNow(api.requests)
    const run = await runAction({
      inputs: keyless(api, 1, { 'artifact-name': 'oidc-logs-1' }),
      env: jobEnv({ HUAWEI_CLOUD_ACCESS_KEY_ID: 'ENVAK', HUAWEI_CLOUD_SECRET_ACCESS_KEY: 'envsk' })
    })
    expectExitCode(run, 0)

    expect(idTokens.audiences.at(-1)).toBe('iam.myhuaweicloud.com')
    expect(exchanges()).toHaveLength(1)
    const [exchange] = exchanges()
    const [idToken] = issuedIdTokens()
    expect(exchange.headers['x-idp-id']).toBe(PROVIDER)
    expect(exchange.body).toEqual({
      auth: { id_token: { id: idToken }, scope: { project: { name: 'cn-north-4' } } }
    })
    const federated = iam.issued.at(-1)!.token
    const requests = apiRequests()
    expect(requests.map(r => r.path)).toContain(`/v1/record/${record(1)}/full-stages`)
    for (const r of requests) {
      expect(r.headers['x-auth-token']).toBe(federated)
      expect(r.headers['x-project-id']).toBeUndefined()
    }

    const artifact = results.artifacts.find(a => a.name === 'oidc-logs-1')
    const zip = readZip(artifact!.bytes)
    expect([...zip.keys()].sort()).toEqual(['stage1.log', 'stage2.log', 'stage3.log'])
    for (const stage of ['stage1', 'stage2', 'stage3']) {
      expect(zip.get(`${stage}.log`)!.toString('utf8')).toBe(SAMPLE_LOGS[stage])
    }
    expect(run.outputs['artifact-id']).toBe(String(artifact!.id))
    expect(JSON.parse(run.outputs.stages).stage2).toMatchObject({ name: 'Build' })

    expect(run.stdout).toContain(
      `Signing in with OpenID Connect at ${iam.url}: identity provider ${PROVIDER}, audience iam.myhuaweicloud.com, scoped to the project of cn-north-4`
    )
    expect(run.stdout).toContain(
      'HUAWEI_CLOUD_ACCESS_KEY_ID and HUAWEI_CLOUD_SECRET_ACCESS_KEY are set but not used: identity-provider was given'
    )
    expect(run.stdout).toContain(
      `Authenticating with a federated token from OpenID Connect (identity provider ${PROVIDER})`
    )
    expect(secretLeaks(run, [idToken, federated])).toEqual([])
    expect(run.stdout).not.toContain(REQUEST_TOKEN)
  })

  it("logs IAM's answer with CodeArts' when the runner debug logs, and no token", async () => {
    const issuedIdTokens = sinceNow(idTokens.issued)
    const run = await runAction({
      inputs: keyless(api, 2, { upload: 'false' }),
      env: jobEnv({ RUNNER_DEBUG: '1' })
    })
    expectExitCode(run, 0)
    const answers = run.stdout.split('\n').filter(line => line.startsWith('::debug::answer '))
    expect(answers[0]).toMatch(
      /^::debug::answer POST \/v3\.0\/OS-AUTH\/id-token\/tokens: HTTP 20\d: \{/
    )
    expect(answers.some(line => line.includes(`/v1/record/${record(2)}/full-stages`))).toBe(true)
    const [idToken] = issuedIdTokens()
    expect(secretLeaks(run, [idToken, iam.issued.at(-1)!.token])).toEqual([])
  })

  it('scopes the token to project-id when one is given, and sends X-Project-Id', async () => {
    const exchanges = sinceNow(iam.requests)
    const apiRequests = sinceNow(api.requests)
    const run = await runAction({
      inputs: keyless(api, 2, {
        'project-id': 'proj-0123',
        'task-names': 'stage1',
        upload: 'false'
      }),
      env: jobEnv()
    })
    expectExitCode(run, 0)
    expect(exchanges().map(r => r.body)).toEqual([
      { auth: { id_token: { id: expect.any(String) }, scope: { project: { id: 'proj-0123' } } } }
    ])
    // The stage list (for the stage's name) and the log.
    expect(apiRequests().map(r => r.headers['x-project-id'])).toEqual(['proj-0123', 'proj-0123'])
    expect(run.stdout).toContain('scoped to project proj-0123')
  })

  it('fails before any request when the job has no ID token, naming the permission', async () => {
    const exchanges = sinceNow(iam.requests)
    const apiRequests = sinceNow(api.requests)
    const env = jobEnv()
    delete env.ACTIONS_ID_TOKEN_REQUEST_URL
    const run = await runAction({ inputs: keyless(api, 3), env })
    expectExitCode(run, 1)
    const message = signInError(run)
    expect(message).toContain('ACTIONS_ID_TOKEN_REQUEST_URL is not set')
    expect(message).toContain('permissions: id-token: write')
    expect(message).toContain('pull request from a fork')
    expect(exchanges()).toEqual([])
    expect(apiRequests()).toEqual([])
  })

  it('gives the identity provider checklist when IAM refuses the ID token (audience ≠ client ID)', async () => {
    const apiRequests = sinceNow(api.requests)
    const run = await runAction({
      inputs: keyless(api, 4, { audience: 'sts.example.com' }),
      env: jobEnv()
    })
    expectExitCode(run, 1)
    expect(idTokens.audiences.at(-1)).toBe('sts.example.com')
    const message = signInError(run)
    expect(message).toContain(
      '401 IAM.0047 Invalid id_token: the audience does not match the client ID'
    )
    expect(message).toContain('https://token.actions.githubusercontent.com;')
    expect(message).toContain('client ID must equal the audience input ("sts.example.com")')
    expect(message).toContain('https://token.actions.githubusercontent.com/.well-known/jwks')
    expect(message).toContain('repo:OWNER/REPO:ref:refs/heads/main')
    expect(apiRequests()).toEqual([])
  })

  it('gives the same checklist when no mapping rule matches the sub claim', async () => {
    const run = await runAction({
      inputs: keyless(api, 4, { 'identity-provider': 'other-repo' }),
      env: jobEnv()
    })
    expectExitCode(run, 1)
    const message = signInError(run)
    expect(message).toContain('401 IAM.0048 No mapping rule matches the id_token')
    expect(message).toContain("a mapping rule must match the token's sub claim")
  })

  it('names the provider ID when IAM does not know it (404)', async () => {
    const run = await runAction({
      inputs: keyless(api, 4, { 'identity-provider': 'no-such-idp' }),
      env: jobEnv()
    })
    expectExitCode(run, 1)
    const message = signInError(run)
    expect(message).toContain('404 IAM.1002 The identity provider does not exist')
    expect(message).toContain('Check identity-provider ("no-such-idp")')
    expect(message).toContain('OpenID Connect with programmatic access')
  })

  it('refuses identity-provider together with stored credentials before any request', async () => {
    const exchanges = sinceNow(iam.requests)
    const issued = sinceNow(idTokens.issued)
    const clashes: Record<string, string>[] = [
      { token: 'MIItok' },
      { 'access-key-id': 'AK', 'secret-access-key': 'SK' }
    ]
    for (const clash of clashes) {
      const run = await runAction({ inputs: keyless(api, 5, clash), env: jobEnv() })
      expectExitCode(run, 1)
      expect(run.annotations).toEqual([
        expect.objectContaining({
          title: 'Invalid input: identity-provider',
          message: expect.stringContaining(`is set together with ${Object.keys(clash).join(', ')}`)
        })
      ])
    }
    const bad = await runAction({
      inputs: keyless(api, 5, { 'iam-endpoint': 'http://10.1.2.3' }),
      env: jobEnv()
    })
    expectExitCode(bad, 1)
    expect(bad.annotations[0]).toMatchObject({ title: 'Invalid input: iam-endpoint' })
    expect(bad.annotations[0].message).toContain('"http://10.1.2.3"')
    expect(exchanges()).toEqual([])
    expect(issued()).toEqual([])
  })
})

describe('IAM answers that are not a token', () => {
  it('retries a 503 and reads the error_code/error_msg shape of a 403', async () => {
    const scripted = await startIam({
      providers: {},
      script: [
        { status: 503, body: 'Service Unavailable', headers: { 'Retry-After': '0' } },
        { status: 403, body: { error_code: 'IAM.0003', error_msg: 'Policy does not allow this' } }
      ]
    })
    const api = await startApi(() => true)
    try {
      const run = await runAction({
        inputs: { ...keyless(api, 6), 'iam-endpoint': scripted.url },
        env: jobEnv()
      })
      expectExitCode(run, 1)
      expect(scripted.requests).toHaveLength(2)
      expect(run.stdout).toMatch(/^sign-in: attempt 1 of 4 failed: .*503.*; retrying in 0\.0 s$/m)
      const message = signInError(run)
      expect(message).toContain('403 IAM.0003 Policy does not allow this')
      expect(message).toContain(`Check identity-provider ("${PROVIDER}")`)
      expect(api.requests).toEqual([])
    } finally {
      await scripted.close()
      await api.close()
    }
  })
})

describe('a cancel during the sign-in', () => {
  const CANCELLED = {
    level: 'error',
    title: 'Cancelled',
    message: 'The step was cancelled before any log was downloaded; nothing was uploaded.'
  }

  it('ends as cancelled when SIGINT comes while the ID-token service holds its answer', async () => {
    const held: ServerResponse[] = []
    const holding = await startIdTokenService({
      requestToken: REQUEST_TOKEN,
      subject: SUBJECT,
      intercept: (_req, res) => held.push(res) > 0
    })
    const exchanges = sinceNow(iam.requests)
    const api = await startApi(() => true)
    try {
      const run = await runAction({
        inputs: keyless(api, 5),
        env: jobEnv({ ACTIONS_ID_TOKEN_REQUEST_URL: holding.requestUrl }),
        during: async ({ child }) => {
          await terminateWhen(child, () => held.length > 0, 'SIGINT')
        },
        timeoutMs: 20_000
      })
      expectExitCode(run, 1)
      expect(held).toHaveLength(1)
      expect(run.annotations).toEqual([CANCELLED])
      expect(run.stdout).toContain('Received SIGINT: stopping')
      expect(exchanges()).toEqual([])
      expect(api.requests).toEqual([])
    } finally {
      for (const res of held) res.destroy()
      await holding.close()
      await api.close()
    }
  })

  it('ends as cancelled when SIGTERM comes while IAM holds the exchange', async () => {
    const held: ServerResponse[] = []
    const holding = await startIam({ providers: {}, intercept: (_req, res) => held.push(res) > 0 })
    const api = await startApi(() => true)
    try {
      const run = await runAction({
        inputs: { ...keyless(api, 5), 'iam-endpoint': holding.url },
        env: jobEnv(),
        during: async ({ child }) => {
          await terminateWhen(child, () => held.length > 0)
        },
        timeoutMs: 20_000
      })
      expectExitCode(run, 1)
      expect(held).toHaveLength(1)
      expect(run.annotations).toEqual([CANCELLED])
      expect(run.stdout).toContain('Received SIGTERM: stopping')
      expect(run.stdout).not.toContain('Signed in with OpenID Connect')
      expect(api.requests).toEqual([])
    } finally {
      for (const res of held) res.destroy()
      await holding.close()
      await api.close()
    }
  })
})

describe('federated tokens on long runs', () => {
  it('renews a token that nears its expiry while waiting for the build', async () => {
    // expires_at 302 s out: 2 s later it is within the 5-minute margin and must be renewed.
    const shortIam = await startIam({
      tokenLifetimeSeconds: 302,
      providers: {
        [PROVIDER]: {
          issuer: GITHUB_ISSUER,
          clientId: 'iam.myhuaweicloud.com',
          jwks: idTokens.jwks,
          allowedSubjects: [SUBJECT]
        }
      }
    })
    // The gateway takes only the newest token, so a request with a stale one fails the test.
    const api = await startApi(token => shortIam.issued.at(-1)?.token === token, {
      info: { [record(7)]: { status: 'success' } }
    })
    const running = {
      status: 200,
      headers: { 'Content-Type': 'application/json' },
      body: { status: 'success', error: null, result: { status: 'running' } }
    }
    api.script(`/v1/record/${record(7)}/info`, [running, running, running, running])
    const issuedIdTokens = sinceNow(idTokens.issued)
    try {
      const run = await runAction({
        inputs: {
          ...keyless(api, 7),
          'iam-endpoint': shortIam.url,
          'wait-minutes': '1',
          'poll-seconds': '1',
          upload: 'false'
        },
        env: jobEnv()
      })
      expectExitCode(run, 0)
      const tokens = new Set(api.requests.map(r => r.headers['x-auth-token']))
      expect(tokens.size).toBeGreaterThanOrEqual(2)
      expect(shortIam.requests.length).toBe(shortIam.issued.length)
      expect(shortIam.issued.length).toBeGreaterThanOrEqual(2)
      // Each exchange used a fresh ID token from GitHub.
      expect(new Set(issuedIdTokens()).size).toBe(shortIam.requests.length)
      expect(run.stdout).toMatch(/^Renewing the federated token: it expires at /m)
      expect(api.requests.filter(r => r.path.endsWith('/info'))).toHaveLength(5)
      expect(api.requests.filter(r => r.path.endsWith('/task-log'))).toHaveLength(3)
      expect(secretLeaks(run, [...shortIam.issued.map(t => t.token), ...issuedIdTokens()])).toEqual(
        []
      )
    } finally {
      await shortIam.close()
      await api.close()
    }
  })

  it('answers a CodeArts 401 with one fresh exchange and one retry', async () => {
    const refused = new Set<string>()
    // The first token is refused (as if revoked); every later valid one is accepted.
    const api = await startApi(token => {
      if (refused.size === 0) refused.add(token)
      return !refused.has(token) && iam.isValid(token)
    })
    const exchanges = sinceNow(iam.requests)
    try {
      const run = await runAction({
        inputs: keyless(api, 8, { 'task-names': 'stage1', upload: 'false' }),
        env: jobEnv()
      })
      expectExitCode(run, 0)
      expect(exchanges()).toHaveLength(2)
      // The stage list and the log go out at once with the first token: one shared renewal.
      const paths = api.requests.map(r => r.path)
      expect(paths.filter(p => p.endsWith('/full-stages'))).toHaveLength(2)
      expect(paths.filter(p => p.endsWith('/task-log'))).toHaveLength(2)
      expect(run.stdout).toContain('Renewing the federated token: CodeArts refused it (401)')
    } finally {
      await api.close()
    }
  })

  it('does not renew a second time when the fresh token is refused too', async () => {
    const api = await startApi(() => false)
    const exchanges = sinceNow(iam.requests)
    try {
      const run = await runAction({
        inputs: keyless(api, 9, { 'task-names': 'stage1', upload: 'false' }),
        env: jobEnv()
      })
      expectExitCode(run, 1)
      const paths = api.requests.map(r => r.path)
      expect(paths.length).toBeGreaterThan(0)
      // Every request went out twice (the first token, then the renewed one), never a third time.
      for (const p of new Set(paths)) expect(paths.filter(x => x === p)).toHaveLength(2)
      expect(exchanges().length).toBeLessThanOrEqual(1 + new Set(paths).size)
      expect(run.stdout).toContain('The federated token was refused even after a fresh exchange')
    } finally {
      await api.close()
    }
  })
})
