import { createPublicKey, randomBytes, verify, type JsonWebKey } from 'node:crypto'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'

/** An identity provider as configured in IAM: what it trusts, and whom it maps. */
export interface IdentityProviderConfig {
  /** The identity provider URL, matched against `iss`. */
  issuer: string
  /** The client ID, matched against `aud`. */
  clientId: string
  /** The signing key (the issuer's JWKS, as pasted into the console). */
  jwks: { keys: JsonWebKey[] }
  /** The mapping rule's condition on `sub`: only these subjects get a token. */
  allowedSubjects: string[]
}

/** How the emulated IAM behaves. */
export interface IamEmulatorOptions {
  /** Identity providers by ID (the X-Idp-Id header). */
  providers: Record<string, IdentityProviderConfig>
  /** Seconds from issue to the token's `expires_at`; default 24 hours. */
  tokenLifetimeSeconds?: number
  /** Answers given, in order, to the first exchange requests instead of checking them. */
  script?: { status: number; body: object | string; headers?: Record<string, string> }[]
  /** Called first for every request; returning true means it answered (or holds the answer). */
  intercept?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean
}

/** One exchange request as IAM received it. */
export interface ExchangeRequest {
  headers: http.IncomingHttpHeaders
  /** The parsed body, or undefined when it was not JSON. */
  body: unknown
  at: number
}

export interface IamEmulator {
  url: string
  requests: ExchangeRequest[]
  /** Every token issued, in order. */
  issued: { token: string; expiresAt: number }[]
  /** Whether `token` was issued here and has not reached its expires_at. */
  isValid(token: string): boolean
  close(): Promise<void>
}

const EXCHANGE_PATH = '/v3.0/OS-AUTH/id-token/tokens'

function decodePart(part: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>
  } catch {
    return undefined
  }
}

/** Checks a JWT the way IAM does; returns why it is refused, or the claims. */
function checkIdToken(
  jwt: string,
  provider: IdentityProviderConfig
): { refused: string } | { claims: Record<string, unknown> } {
  const parts = jwt.split('.')
  if (parts.length !== 3) return { refused: 'the id_token is not a JWT' }
  const header = decodePart(parts[0])
  const claims = decodePart(parts[1])
  if (!header || !claims) return { refused: 'the id_token cannot be decoded' }
  const jwk = provider.jwks.keys.find(key => (key as { kid?: string }).kid === header.kid)
  if (header.alg !== 'RS256' || !jwk) return { refused: 'no signing key matches the id_token' }
  const key = createPublicKey({ key: jwk, format: 'jwk' })
  const signed = Buffer.from(`${parts[0]}.${parts[1]}`)
  if (!verify('sha256', signed, key, Buffer.from(parts[2], 'base64url'))) {
    return { refused: 'the id_token signature is invalid' }
  }
  if (claims.iss !== provider.issuer) return { refused: 'the issuer does not match' }
  if (claims.aud !== provider.clientId)
    return { refused: 'the audience does not match the client ID' }
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= Date.now()) {
    return { refused: 'the id_token has expired' }
  }
  return { claims }
}

/** Formats a time like IAM: microseconds and a Z, e.g. `2026-12-03T08:56:33.710000Z`. */
function iamTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000Z')
}

/**
 * Starts an emulated IAM CreateTokenWithIdToken on 127.0.0.1: verifies the ID token against the
 * provider's JWKS, iss, aud, exp and a mapping rule on sub, and issues project-scoped tokens.
 */
export async function startIam(options: IamEmulatorOptions): Promise<IamEmulator> {
  const requests: ExchangeRequest[] = []
  const issued: { token: string; expiresAt: number }[] = []
  const script = [...(options.script ?? [])]
  const server = http.createServer((req, res) => {
    if (options.intercept?.(req, res)) return
    const chunks: Buffer[] = []
    req.on('data', chunk => chunks.push(chunk))
    req.on('end', () => {
      const send = (status: number, body: object | string, headers = {}): void => {
        res.writeHead(status, { 'Content-Type': 'application/json', ...headers })
        res.end(typeof body === 'string' ? body : JSON.stringify(body))
      }
      const refuse = (status: number, code: string, message: string): void =>
        // IAM's v3.0 APIs answer in this shape; the scripted answers cover the other.
        send(status, { error: { code, message } })
      let body: unknown
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
      } catch {
        body = undefined
      }
      requests.push({ headers: req.headers, body, at: Date.now() })
      if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://x').pathname !== EXCHANGE_PATH) {
        return refuse(404, 'APIGW.0101', 'The API does not exist')
      }
      const scripted = script.shift()
      if (scripted) return send(scripted.status, scripted.body, scripted.headers)
      const provider = options.providers[String(req.headers['x-idp-id'] ?? '')]
      if (!provider) return refuse(404, 'IAM.1002', 'The identity provider does not exist')
      const auth = (
        body as { auth?: { id_token?: { id?: unknown }; scope?: { project?: object } } }
      )?.auth
      const jwt = auth?.id_token?.id
      const project = auth?.scope?.project as { id?: string; name?: string } | undefined
      if (typeof jwt !== 'string' || !(project?.id || project?.name)) {
        return refuse(400, 'IAM.0001', 'The request body is invalid')
      }
      const checked = checkIdToken(jwt, provider)
      if ('refused' in checked)
        return refuse(401, 'IAM.0047', `Invalid id_token: ${checked.refused}`)
      if (!provider.allowedSubjects.includes(String(checked.claims.sub))) {
        return refuse(401, 'IAM.0048', 'No mapping rule matches the id_token')
      }
      const now = Date.now()
      const expiresAt = now + (options.tokenLifetimeSeconds ?? 86_400) * 1000
      const token = `MIIfed-${randomBytes(24).toString('hex')}`
      issued.push({ token, expiresAt })
      send(
        201,
        {
          token: {
            expires_at: iamTime(expiresAt),
            issued_at: iamTime(now),
            methods: ['mapped'],
            project: {
              id: project.id ?? 'emulated-project-id',
              name: project.name ?? 'cn-north-4'
            },
            user: { name: `FederationUser-${String(checked.claims.sub)}`, 'OS-FEDERATION': {} }
          }
        },
        { 'X-Subject-Token': token }
      )
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    issued,
    isValid: token => issued.some(t => t.token === token && t.expiresAt > Date.now()),
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
