import { describe, expect, it } from '@jest/globals'
import { sameOriginOnly } from '../src/http/transport.js'

describe('sameOriginOnly: a credential follows redirects within its origin only', () => {
  const policy = sameOriginOnly(new URL('https://iam.example.com/v3'), 'IAM', 'the ID token')

  it('follows a redirect within the origin', () => {
    expect(policy.refusal(new URL('https://iam.example.com/v3.0/elsewhere'))).toBeUndefined()
  })

  it('refuses another host, another port and a drop to plain http, saying what is kept back', () => {
    for (const to of [
      'https://evil.example.net/v3',
      'https://iam.example.com:8443/v3',
      'http://iam.example.com/v3'
    ]) {
      expect(policy.refusal(new URL(to))).toBe(
        `IAM redirected to ${new URL(to).origin}; the ID token is only sent to https://iam.example.com`
      )
    }
  })

  it('refuses plain http to a remote host even from a plain-http origin', () => {
    const local = sameOriginOnly(new URL('http://build.example.com/x'), 'S', 'it')
    expect(local.refusal(new URL('http://build.example.com/y'))).toContain('S redirected to')
    const loopback = sameOriginOnly(new URL('http://127.0.0.1:8080/x'), 'S', 'it')
    expect(loopback.refusal(new URL('http://127.0.0.1:8080/y'))).toBeUndefined()
  })

  it('names the service when the redirects do not end', () => {
    expect(policy.tooMany(5, new URL('https://iam.example.com/'))).toBe(
      'IAM stopped after 5 redirects'
    )
  })
})
