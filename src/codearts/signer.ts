/**
 * Huawei Cloud AK/SK request signing (`SDK-HMAC-SHA256`), as used by the official
 * huaweicloud-sdk-* clients. Pure: the caller supplies the time and gets headers back.
 */
import { createHash, createHmac } from 'node:crypto'

const SIGNING_ALGORITHM = 'SDK-HMAC-SHA256'

const DATE_HEADER = 'X-Sdk-Date'
const HOST_HEADER = 'Host'
const AUTHORIZATION_HEADER = 'Authorization'

/** A request as it will be sent; `url` holds the path and query exactly as requested. */
export interface SigningRequest {
  method: string
  url: URL
  headers: Record<string, string>
  body?: string | Buffer
}

/** An access key pair (AK/SK); temporary credentials also need an `X-Security-Token` header. */
export interface SigningKey {
  accessKeyId: string
  secretAccessKey: string
}

/** Formats a time as the `X-Sdk-Date` value `YYYYMMDDTHHMMSSZ` (UTC). */
export function formatSdkDate(date: Date): string {
  const year = date.getUTCFullYear()
  // Outside 0..9999 the fixed-width format cannot represent the year, and an invalid Date is NaN.
  if (!(year >= 0 && year <= 9999)) {
    throw new RangeError(`Cannot format ${String(date)} as an X-Sdk-Date`)
  }
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0')
  return (
    pad(year, 4) +
    pad(date.getUTCMonth() + 1) +
    pad(date.getUTCDate()) +
    'T' +
    pad(date.getUTCHours()) +
    pad(date.getUTCMinutes()) +
    pad(date.getUTCSeconds()) +
    'Z'
  )
}

/** Builds the canonical request and the SignedHeaders list for a request that has `X-Sdk-Date`. */
export function canonicalRequest(req: SigningRequest): {
  canonical: string
  signedHeaders: string
} {
  const headers = lowerCaseHeaders(req.headers)
  // A programming error that cannot reach a user: signRequest sets the date before it gets here.
  if (!headers.has(DATE_HEADER.toLowerCase())) {
    throw new Error(`The request to sign has no ${DATE_HEADER} header`)
  }
  if (!headers.has(HOST_HEADER.toLowerCase())) {
    headers.set(HOST_HEADER.toLowerCase(), req.url.host)
  }

  // The Python SDK leaves names with `_` unsigned, and the published vectors depend on that.
  // Authorization cannot cover itself; skipping it lets the sent headers be checked again.
  const names = [...headers.keys()]
    .filter(name => !name.includes('_') && name !== AUTHORIZATION_HEADER.toLowerCase())
    .sort()
  const canonicalHeaders = names.map(name => `${name}:${headers.get(name)?.trim()}\n`).join('')
  const signedHeaders = names.join(';')

  const canonical = [
    req.method.toUpperCase(),
    canonicalUri(req.url),
    canonicalQueryString(req.url),
    canonicalHeaders,
    signedHeaders,
    sha256Hex(req.body ?? '')
  ].join('\n')
  return { canonical, signedHeaders }
}

/** Signs a request and returns every header to send, including Host, X-Sdk-Date and Authorization. */
export function signRequest(
  req: SigningRequest,
  key: SigningKey,
  now: Date
): Record<string, string> {
  // A stale Authorization (e.g. from a retried request) must be neither signed nor sent twice.
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.toLowerCase() !== AUTHORIZATION_HEADER.toLowerCase()) headers[name] = value
  }
  if (findHeader(headers, HOST_HEADER) === undefined) headers[HOST_HEADER] = req.url.host
  // A caller-set date wins so that a fixed date (as in the published vectors) can be reproduced.
  let sdkDate = findHeader(headers, DATE_HEADER)
  if (sdkDate === undefined) {
    sdkDate = formatSdkDate(now)
    headers[DATE_HEADER] = sdkDate
  }

  const { canonical, signedHeaders } = canonicalRequest({ ...req, headers })
  const stringToSign = `${SIGNING_ALGORITHM}\n${sdkDate.trim()}\n${sha256Hex(canonical)}`
  const signature = createHmac('sha256', key.secretAccessKey).update(stringToSign).digest('hex')
  headers[AUTHORIZATION_HEADER] =
    `${SIGNING_ALGORITHM} Access=${key.accessKeyId}, SignedHeaders=${signedHeaders}, ` +
    `Signature=${signature}`
  return headers
}

function sha256Hex(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex')
}

function lowerCaseHeaders(headers: Record<string, string>): Map<string, string> {
  const result = new Map<string, string>()
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase()
    // Two spellings of one name would be sent as two headers the signature cannot describe. A
    // programming error that cannot reach a user: the action's header names are its own, never
    // an input's or a server's, and each is set once.
    if (result.has(lower)) throw new Error(`Header ${name} is given more than once`)
    result.set(lower, value)
  }
  return result
}

function findHeader(headers: Record<string, string>, name: string): string | undefined {
  const lower = name.toLowerCase()
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === lower) return value
  }
  return undefined
}

function canonicalUri(url: URL): string {
  const path = url.pathname
    .split('/')
    .map(segment => percentEncode(percentDecode(segment)))
    .join('/')
  // The gateway signs the path with a trailing slash even though the request is sent without it.
  return path.endsWith('/') ? path : `${path}/`
}

function canonicalQueryString(url: URL): string {
  const pairs = [...url.searchParams].map(([k, v]) => [Buffer.from(k), Buffer.from(v)] as const)
  // The Go SDK sorts keys, then values, as raw UTF-8 bytes; JS string order differs above U+FFFF.
  pairs.sort(([k1, v1], [k2, v2]) => Buffer.compare(k1, k2) || Buffer.compare(v1, v2))
  return pairs.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&')
}

/** Decodes `%XX` escapes to bytes, leaving a stray `%` as is, since URL objects keep those. */
function percentDecode(segment: string): Buffer {
  const bytes: number[] = []
  for (let i = 0; i < segment.length;) {
    if (segment[i] === '%' && /^[0-9A-Fa-f]{2}$/.test(segment.slice(i + 1, i + 3))) {
      bytes.push(parseInt(segment.slice(i + 1, i + 3), 16))
      i += 3
    } else {
      const codePoint = segment.codePointAt(i) as number
      const char = String.fromCodePoint(codePoint)
      bytes.push(...Buffer.from(char))
      i += char.length
    }
  }
  return Buffer.from(bytes)
}

/** Keeps only RFC 3986 unreserved bytes; encodeURIComponent would leave `!'()*` bare. */
function percentEncode(bytes: Buffer): string {
  let out = ''
  for (const byte of bytes) {
    const char = String.fromCharCode(byte)
    out += /[A-Za-z0-9\-_.~]/.test(char)
      ? char
      : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return out
}
