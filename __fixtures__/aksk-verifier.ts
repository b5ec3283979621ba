/**
 * The emulated gateway's own check of `SDK-HMAC-SHA256` signatures, written from the API
 * documentation and not from `src/codearts/signer.ts`: a canonicalisation bug in the signer must
 * make the emulator refuse the request, not pass because the verifier shares it.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'

/** A request as the gateway received it: `target` is the path and query exactly as sent. */
export interface ReceivedRequest {
  method: string
  target: string
  /** Header values by lower-case name, as node:http gives them. */
  headers: Record<string, string | string[] | undefined>
  body?: string | Buffer
}

// RFC 3986 unreserved characters stay; every other byte of the UTF-8 form becomes %XX.
function encodeUnreserved(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`
  )
}

function decodeLenient(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

function canonicalPath(rawPath: string): string {
  const encoded = rawPath
    .split('/')
    .map(segment => encodeUnreserved(decodeLenient(segment)))
    .join('/')
  return encoded.endsWith('/') ? encoded : `${encoded}/`
}

function canonicalQuery(rawQuery: string): string {
  const pairs = rawQuery
    .split('&')
    .filter(part => part !== '')
    .map(part => {
      const eq = part.indexOf('=')
      const [key, value] = eq === -1 ? [part, ''] : [part.slice(0, eq), part.slice(eq + 1)]
      // A form-encoded query sends spaces as `+`, as the SDKs' query parsers read it.
      const decode = (s: string) => decodeLenient(s.replace(/\+/g, ' '))
      return [encodeUnreserved(decode(key)), encodeUnreserved(decode(value))]
    })
  // Once encoded, only ASCII is left, so code-unit order is the SDKs' byte order.
  pairs.sort(([k1, v1], [k2, v2]) => (k1 === k2 ? compare(v1, v2) : compare(k1, k2)))
  return pairs.map(([key, value]) => `${key}=${value}`).join('&')
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function headerValue(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value.join(',') : (value ?? '')).trim()
}

function sha256(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex')
}

/** The canonical request the gateway rebuilds from what it received and the names the client signed. */
export function gatewayCanonicalRequest(req: ReceivedRequest, signedHeaders: string[]): string {
  const query = req.target.indexOf('?')
  const rawPath = query === -1 ? req.target : req.target.slice(0, query)
  const rawQuery = query === -1 ? '' : req.target.slice(query + 1)
  const headerLines = signedHeaders.map(name => `${name}:${headerValue(req.headers[name])}\n`)
  return [
    req.method.toUpperCase(),
    canonicalPath(rawPath),
    canonicalQuery(rawQuery),
    headerLines.join(''),
    signedHeaders.join(';'),
    sha256(req.body ?? '')
  ].join('\n')
}

/** The signature the gateway expects for the request, given the signed header names and the secret key. */
export function expectedSignature(
  req: ReceivedRequest,
  signedHeaders: string[],
  secretAccessKey: string
): string {
  const stringToSign = [
    'SDK-HMAC-SHA256',
    headerValue(req.headers['x-sdk-date']),
    sha256(gatewayCanonicalRequest(req, signedHeaders))
  ].join('\n')
  return createHmac('sha256', secretAccessKey).update(stringToSign).digest('hex')
}

/** True when `signature` is the one the gateway computes; compared in constant time. */
export function signatureMatches(
  req: ReceivedRequest,
  signedHeaders: string[],
  signature: string,
  secretAccessKey: string
): boolean {
  const expected = Buffer.from(expectedSignature(req, signedHeaders, secretAccessKey))
  const given = Buffer.from(signature)
  return expected.length === given.length && timingSafeEqual(expected, given)
}
