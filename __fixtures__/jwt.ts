function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}

/** Builds an unsigned JWT carrying the Actions.Results scope that @actions/artifact decodes for backend IDs. */
export function makeRuntimeToken(runId: string, jobId: string): string {
  const now = Math.floor(Date.now() / 1000)
  const header = { alg: 'none', typ: 'JWT' }
  const payload = {
    scp: `Actions.ExampleScope Actions.Results:${runId}:${jobId}`,
    iat: now,
    nbf: now,
    exp: now + 3600
  }
  // An unsecured JWT (RFC 7519 section 6) has an empty signature part; the client never verifies it.
  return `${base64url(header)}.${base64url(payload)}.`
}
