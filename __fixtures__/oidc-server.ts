import { generateKeyPairSync, randomUUID, sign, type JsonWebKey } from 'node:crypto'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'

/** GitHub's issuer: what the ID tokens say in `iss`. */
export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com'

/** How the emulated ID-token service behaves. */
export interface IdTokenServiceOptions {
  /** The bearer token the runner gives the job (ACTIONS_ID_TOKEN_REQUEST_TOKEN). */
  requestToken: string
  /** The `sub` claim, e.g. `repo:octo-org/octo-repo:ref:refs/heads/main`. */
  subject: string
  /** Seconds from issue to `exp`; default 300 like GitHub's. */
  lifetimeSeconds?: number
  /** Called first for every request; returning true means it answered (or holds the answer). */
  intercept?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean
}

/** A running ID-token service with its signing key's JWKS. */
export interface IdTokenService {
  /** What the runner puts in ACTIONS_ID_TOKEN_REQUEST_URL: it already has a query, like GitHub's. */
  requestUrl: string
  /** The public key set IAM verifies with, as GitHub publishes it at /.well-known/jwks. */
  jwks: { keys: JsonWebKey[] }
  /** Every ID token handed out, in order. */
  issued: string[]
  /** The audiences asked for, in order. */
  audiences: string[]
  close(): Promise<void>
}

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}

/**
 * Starts an emulated GitHub ID-token service on 127.0.0.1: checks the bearer request token and
 * the audience query, and answers `{"value": JWT}`, RS256-signed with a key made at start-up.
 */
export async function startIdTokenService(options: IdTokenServiceOptions): Promise<IdTokenService> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const kid = randomUUID()
  const jwks = { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }] }
  const issued: string[] = []
  const audiences: string[] = []
  const server = http.createServer((req, res) => {
    if (options.intercept?.(req, res)) return
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const send = (status: number, body: object): void => {
      res.writeHead(status, { 'Content-Type': 'application/json' })
      res.end(JSON.stringify(body))
    }
    if (url.pathname === '/.well-known/jwks') return send(200, jwks)
    if (req.method !== 'GET' || url.pathname !== '/token')
      return send(404, { message: 'Not Found' })
    if (req.headers.authorization !== `Bearer ${options.requestToken}`) {
      return send(401, { message: 'Bad credentials' })
    }
    const audience = url.searchParams.get('audience')
    if (!audience) return send(400, { message: 'audience is required by this emulator' })
    audiences.push(audience)
    const now = Math.floor(Date.now() / 1000)
    const header = { alg: 'RS256', typ: 'JWT', kid }
    const claims = {
      jti: randomUUID(),
      iss: GITHUB_ISSUER,
      aud: audience,
      sub: options.subject,
      iat: now,
      nbf: now,
      exp: now + (options.lifetimeSeconds ?? 300)
    }
    const signingInput = `${base64url(header)}.${base64url(claims)}`
    const signature = sign('sha256', Buffer.from(signingInput), privateKey).toString('base64url')
    const jwt = `${signingInput}.${signature}`
    issued.push(jwt)
    send(200, { count: 1, value: jwt })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    requestUrl: `http://127.0.0.1:${port}/token?api-version=2.0`,
    jwks,
    issued,
    audiences,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
