import { sanitizeForLog } from '../server-text.js'

/** How much of an answer's body the debug line shows, in bytes of UTF-8. */
export const ANSWER_LOG_BYTES = 4096
/** What a secret is replaced with. */
export const REDACTED = '***'
// Of a body that is not JSON, only this many characters are read: the line shows fewer.
const TEXT_CHARS = 4 * ANSWER_LOG_BYTES

// Field names whose values are secret, compared in lower case without `_`, `-` and `.`: tokens
// (IAM, ID, security, session), keys (AK/SK, API, private), passwords, signatures, cookies.
const SECRET_NAME =
  /token|secret|passw|pwd|credential|access|signature|authorization|cookie|privatekey|apikey|sessionkey/
const SECRET_NAMES = new Set(['ak', 'sk', 'auth'])
// A build's parameters: `{name, value}` entries whose values may be secrets never masked here.
const PARAMETER_NAMES = new Set(['parameters', 'parameter', 'params'])
// Secrets by their look, wherever they are: JSON web tokens (ID tokens) and IAM's PKI tokens.
const SECRET_TEXT = /eyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*|MII[\w+/=-]{60,}/g
// `key: value`, `"key": "value"` or `key=value` in a body that is not JSON; a quoted value may
// run to the end of the text (cut in the middle of a string).
const PAIR = /("?)([A-Za-z][\w.-]{0,99})\1(\s*[:=]\s*)("(?:[^"\\]|\\.)*(?:"|$)|[^\s"&,;}\]]+)/g

function isSecretName(key: string): boolean {
  const name = key.toLowerCase().replace(/[-_.]/g, '')
  return SECRET_NAMES.has(name) || SECRET_NAME.test(name)
}

/** Whether an object is a live-log chunk: its text is in the job log already. */
function isLiveLogChunk(entry: Record<string, unknown>): boolean {
  return 'has_more' in entry || 'has_more_data' in entry
}

/** A copy of a parsed answer with secrets replaced: everything below a secret name, parameter values. */
function redact(value: unknown, secret: boolean): unknown {
  if (Array.isArray(value)) return value.map(item => redact(item, secret))
  if (value !== null && typeof value === 'object') {
    const entry = value as Record<string, unknown>
    const liveLog = isLiveLogChunk(entry)
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(entry)) {
      if (liveLog && (key === 'log' || key === 'content') && typeof item === 'string') {
        out[key] = `(${item.length} characters, not logged)`
      } else if (PARAMETER_NAMES.has(key.toLowerCase())) {
        out[key] = redactParameters(item)
      } else {
        out[key] = redact(item, secret || isSecretName(key))
      }
    }
    return out
  }
  // A flag such as a parameter's `secret: true` holds no secret.
  if (value === null || value === undefined || typeof value === 'boolean') return value
  if (secret) return REDACTED
  return typeof value === 'string' ? value.replace(SECRET_TEXT, REDACTED) : value
}

/** One parameter: its `value` (and any default value) hidden, its name and type kept. */
function redactParameter(entry: unknown): unknown {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return REDACTED
  const shown = redact(entry, false) as Record<string, unknown>
  for (const key of Object.keys(shown)) if (/value/i.test(key)) shown[key] = REDACTED
  return shown
}

/** Parameters as a list of `{name, value}` (or a map of them): each value hidden. */
function redactParameters(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value === null ? null : REDACTED
  return Array.isArray(value)
    ? value.map(redactParameter)
    : Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, redactParameter(entry)]))
}

/** The start of a body that is not JSON, with anything that looks like a secret hidden. */
function redactText(body: string): string {
  return body
    .slice(0, TEXT_CHARS)
    .replace(PAIR, (pair, quote: string, key: string, separator: string) =>
      isSecretName(key) || key.toLowerCase() === 'value'
        ? `${quote}${key}${quote}${separator}${REDACTED}`
        : pair
    )
    .replace(SECRET_TEXT, REDACTED)
}

/** The first `max` bytes of `text` as UTF-8, cut between characters, with `…` when cut. */
function firstBytes(text: string, max: number): string {
  if (text.length * 3 <= max) return text
  const bytes = Buffer.from(text)
  if (bytes.length <= max) return text
  let end = max
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--
  return `${bytes.toString('utf8', 0, end)}…`
}

/**
 * The debug line for one JSON answer: endpoint, HTTP status and the body's first 4 KiB, as one
 * inert line. Secrets go before the body is cut: values under token, key, password, signature
 * and similar names, each parameter's `value`, and JWT or IAM tokens anywhere; a live-log
 * chunk's text is left out (the job log has it). A body that is not JSON is shown as text, with
 * `name: value` and `name=value` pairs of such names hidden.
 */
export function answerLogLine(endpoint: string, status: number, body: string): string {
  let shown: string
  try {
    shown = JSON.stringify(redact(JSON.parse(body), false)) ?? ''
  } catch {
    shown = redactText(body)
  }
  const text = shown.trim() === '' ? '(empty body)' : firstBytes(shown, ANSWER_LOG_BYTES)
  return sanitizeForLog(`answer ${endpoint}: HTTP ${status}: ${text}`).replace(/\s+/g, ' ')
}
