import { sanitizeForLog } from '../server-text.js'
import { ELLIPSIS, cutUtf8Bytes } from '../text-cut.js'

/** How much of an answer's body the debug line shows, in bytes of UTF-8. */
export const ANSWER_LOG_BYTES = 4096
export const REDACTED = '***'
// Of a body that is not JSON, only this many characters are read: the line shows fewer.
const TEXT_CHARS = 4 * ANSWER_LOG_BYTES

// Field names whose values are secret, compared in lower case without `_`, `-` and `.`: tokens
// (IAM, ID, security, session), keys (AK/SK, API, private), passwords, signatures, cookies.
const SECRET_NAME =
  /token|secret|passw|pwd|credential|access|signature|authorization|cookie|privatekey|apikey|sessionkey/
const SECRET_NAMES = new Set(['ak', 'sk', 'auth'])
// A build's parameters (`parameters`, `build_params`, …): `{name, value}` entries whose values
// may be secrets never masked here.
const PARAMETER_NAME = /param(eter)?s?$/
// Secrets by their look, wherever they are: JSON web tokens (ID tokens) and IAM's PKI tokens.
const SECRET_TEXT = /eyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*|MII[\w+/=-]{60,}/g
// `key: `, `"key": ` or `key=` in a body that is not JSON; the value after it is read by VALUE.
const PAIR_KEY = /("?)([A-Za-z][\w.-]{0,99})\1(\s*[:=]\s*)/g
// A secret's whole value: a quoted string (which may run to the end of a text cut in the middle
// of it), else everything to the end of the line or the next `,` `;` `&` or quote, spaces
// included (`Authorization: Bearer abc`).
const VALUE = /"(?:[^"\\]|\\.)*(?:"|$)|[^\r\n,;&"]*/y

const nameOf = (key: string): string => key.toLowerCase().replace(/[-_.]/g, '')

function isSecretName(key: string): boolean {
  const name = nameOf(key)
  return SECRET_NAMES.has(name) || SECRET_NAME.test(name)
}

/** Whether an object is a parameter (`{name, value}`, as builds and jobs list them): its value may be secret. */
function isParameter(entry: Record<string, unknown>): boolean {
  return 'name' in entry && 'value' in entry
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
    if (isParameter(entry)) return redactParameter(entry)
    const liveLog = isLiveLogChunk(entry)
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(entry)) {
      if (liveLog && (key === 'log' || key === 'content') && typeof item === 'string') {
        out[key] = `(${item.length} characters, not logged)`
      } else if (PARAMETER_NAME.test(nameOf(key))) {
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
  const shown: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(entry)) {
    shown[key] = /value/i.test(key) ? REDACTED : redact(item, isSecretName(key))
  }
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
  const text = body.slice(0, TEXT_CHARS)
  let shown = ''
  let from = 0
  for (const pair of text.matchAll(PAIR_KEY)) {
    const [whole, , key] = pair
    const valueAt = pair.index + whole.length
    // A pair inside a secret's value already hidden is gone with it.
    if (pair.index < from || !(isSecretName(key) || key.toLowerCase() === 'value')) continue
    VALUE.lastIndex = valueAt
    VALUE.exec(text)
    shown += `${text.slice(from, valueAt)}${REDACTED}`
    from = VALUE.lastIndex
  }
  return `${shown}${text.slice(from)}`.replace(SECRET_TEXT, REDACTED)
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
  const text =
    shown.trim() === ''
      ? '(empty body)'
      : cutUtf8Bytes(shown, ANSWER_LOG_BYTES + Buffer.byteLength(ELLIPSIS))
  return sanitizeForLog(`answer ${endpoint}: HTTP ${status}: ${text}`).replace(/\s+/g, ' ')
}
