import { describe, expect, it } from '@jest/globals'
import { createAuthenticator } from '../src/codearts/authenticator.js'
import { resolveCredentials } from '../src/inputs/credentials.js'

function env(inputs: Record<string, string>, vars: Record<string, string> = {}) {
  const all: Record<string, string> = { ...vars }
  for (const [name, value] of Object.entries(inputs)) all[`INPUT_${name.toUpperCase()}`] = value
  return all
}

const TARGET = {
  region: 'cn-north-4',
  iamEndpoint: new URL('https://iam.cn-north-4.myhuaweicloud.com')
}

const ENV_KEYS = {
  HUAWEI_CLOUD_ACCESS_KEY_ID: 'ENVAK',
  HUAWEI_CLOUD_SECRET_ACCESS_KEY: 'envsk',
  HUAWEI_CLOUD_PROJECT_ID: 'env-project'
}

describe('resolveCredentials', () => {
  it('takes identity-provider before the environment keys, with the default audience', () => {
    expect(resolveCredentials(env({ 'identity-provider': 'github' }, ENV_KEYS), TARGET)).toEqual({
      method: 'oidc',
      identityProvider: 'github',
      audience: 'iam.myhuaweicloud.com',
      ...TARGET,
      projectId: 'env-project',
      environmentKeysIgnored: true
    })
    const custom = resolveCredentials(
      env({ 'identity-provider': 'github', audience: 'my-client', 'project-id': 'p1' }),
      TARGET
    )
    expect(custom).toMatchObject({
      audience: 'my-client',
      projectId: 'p1',
      environmentKeysIgnored: false
    })
  })

  it('refuses identity-provider with any stored credential input, naming them', () => {
    for (const clash of ['token', 'access-key-id', 'secret-access-key', 'security-token']) {
      expect(() =>
        resolveCredentials(env({ 'identity-provider': 'github', [clash]: 'x' }), TARGET)
      ).toThrow(`Input 'identity-provider' is set together with ${clash}: sign in either`)
    }
  })

  it('takes the token input first, even with keys in the environment', () => {
    expect(resolveCredentials(env({ token: 'tok' }, ENV_KEYS), TARGET)).toEqual({
      method: 'token',
      token: 'tok',
      projectId: 'env-project'
    })
  })

  it('takes key inputs over the environment', () => {
    expect(
      resolveCredentials(
        env({ 'access-key-id': 'AK', 'secret-access-key': 'SK', 'project-id': 'p1' }, ENV_KEYS),
        TARGET
      )
    ).toEqual({
      method: 'aksk',
      source: 'inputs',
      accessKeyId: 'AK',
      secretAccessKey: 'SK',
      securityToken: undefined,
      projectId: 'p1'
    })
  })

  it('falls back to the HUAWEI_CLOUD_* environment, security token included', () => {
    expect(
      resolveCredentials(env({}, { ...ENV_KEYS, HUAWEI_CLOUD_SECURITY_TOKEN: 'sts' }), TARGET)
    ).toEqual({
      method: 'aksk',
      source: 'environment',
      accessKeyId: 'ENVAK',
      secretAccessKey: 'envsk',
      securityToken: 'sts',
      projectId: 'env-project'
    })
  })

  it('refuses half a key pair, naming the missing half', () => {
    expect(() => resolveCredentials(env({ 'access-key-id': 'AK' }), TARGET)).toThrow(
      "Input 'access-key-id' is incomplete: access-key-id is set but secret-access-key is empty"
    )
    expect(() => resolveCredentials(env({ 'secret-access-key': 'SK' }, ENV_KEYS), TARGET)).toThrow(
      'secret-access-key is set but access-key-id is empty'
    )
    expect(() =>
      resolveCredentials(env({}, { HUAWEI_CLOUD_SECRET_ACCESS_KEY: 'SK' }), TARGET)
    ).toThrow('HUAWEI_CLOUD_SECRET_ACCESS_KEY is set but HUAWEI_CLOUD_ACCESS_KEY_ID is empty')
  })

  it('refuses a token together with a key pair given as inputs', () => {
    expect(() =>
      resolveCredentials(
        env({ token: 't', 'access-key-id': 'AK', 'secret-access-key': 'SK' }),
        TARGET
      )
    ).toThrow("Input 'token' is set together with access-key-id and secret-access-key")
    expect(() => resolveCredentials(env({ token: 't', 'security-token': 's' }), TARGET)).toThrow(
      "Input 'security-token' goes with an access key pair"
    )
  })

  it('lists every way to give credentials when there are none', () => {
    expect(() => resolveCredentials(env({}), TARGET)).toThrow(
      /token.*access-key-id and secret-access-key.*huaweicloud\/auth-action.*HUAWEI_CLOUD_ACCESS_KEY_ID and HUAWEI_CLOUD_SECRET_ACCESS_KEY/
    )
  })
})

describe('createAuthenticator', () => {
  const request = {
    method: 'GET',
    url: new URL(
      'https://cloudbuild-ext.cn-north-4.myhuaweicloud.com:8443/v1/log/r/task-log?task_name=stage1'
    ),
    headers: { Accept: '*/*' }
  }

  it('sends a token with the project ID', () => {
    const auth = createAuthenticator({ method: 'token', token: 'SECRET-tok-9', projectId: 'p' })
    expect(auth.authenticate(request, new Date())).toEqual({
      Accept: '*/*',
      'X-Project-Id': 'p',
      'X-Auth-Token': 'SECRET-tok-9'
    })
    expect(auth.description).not.toContain('SECRET-tok-9')
  })

  it('signs every header it sets, with a fresh date per attempt', () => {
    const auth = createAuthenticator({
      method: 'aksk',
      source: 'inputs',
      accessKeyId: 'AK',
      secretAccessKey: 'SK',
      securityToken: 'STS',
      projectId: 'p'
    })
    const first = auth.authenticate(request, new Date(Date.UTC(2026, 0, 2, 3, 4, 5)))
    const second = auth.authenticate(request, new Date(Date.UTC(2026, 0, 2, 3, 4, 6)))
    expect(first['X-Sdk-Date']).toBe('20260102T030405Z')
    expect(second['X-Sdk-Date']).toBe('20260102T030406Z')
    expect(first.Host).toBe('cloudbuild-ext.cn-north-4.myhuaweicloud.com:8443')
    expect(first['X-Security-Token']).toBe('STS')
    expect(first.Authorization).toMatch(
      /^SDK-HMAC-SHA256 Access=AK, SignedHeaders=accept;host;x-project-id;x-sdk-date;x-security-token, Signature=[0-9a-f]{64}$/
    )
    expect(first.Authorization).not.toBe(second.Authorization)
    expect(auth.description).toBe(
      'AK/SK signing (SDK-HMAC-SHA256) with temporary credentials from the access-key-id and secret-access-key inputs'
    )
    expect(auth.unauthorizedHint).toMatch(/key pair.*locked.*15 minutes/)
  })
})
