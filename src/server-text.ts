import { cutCodePoints } from './text-cut.js'

/** The longest a server string is kept, by what it is used for (in characters). */
export enum TextLimit {
  /** A stage's display name, a job name, an error code, an ID. */
  Name = 200,
  /** An error message or any longer descriptive field. */
  Message = 1000
}

// Control characters (C0, DEL, C1 with NEL), line and paragraph separators, and the bidi and
// invisible format characters that can make a line read differently from what it holds.
const UNSAFE = /[\p{Cc}\p{Zl}\p{Zp}\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]+/gu

/**
 * Makes text an annotation's property value (its title) inert as it reads: unsafe characters
 * become spaces and `##[` is broken up. The toolkit escapes `:` and `,` in property values, so
 * `::` can stay (`mod::test`); a message needs `sanitizeForLog`.
 */
export function propertyText(text: string): string {
  // The runner reads the older `##[cmd]` anywhere in a line.
  return text.replace(UNSAFE, ' ').replace(/##\[/g, '# #[')
}

/**
 * Makes text a server controls inert in the job log without reshaping it: unsafe characters
 * become spaces, and `::` and `##[` are broken up, so it cannot start a workflow command.
 */
export function sanitizeForLog(text: string): string {
  // The runner reads `::cmd::` at the start of a line.
  return propertyText(text).replace(/:(?=:)/g, ': ')
}

/**
 * Makes one string from a server safe to show anywhere, once, where it is parsed: one line, no
 * control characters, spaces collapsed, workflow commands broken up, at most `maxChars`
 * characters (cut with an ellipsis). Server text is untrusted: so shaped it cannot start a
 * workflow command, split a summary row or flood the log. Undefined for a non-string or a
 * string with nothing left.
 */
export function serverText(value: unknown, maxChars: number): string | undefined {
  if (typeof value !== 'string') return undefined
  const line = sanitizeForLog(value).replace(/\s+/g, ' ').trim()
  if (line === '') return undefined
  return cutCodePoints(line, maxChars)
}

/** The longest start of a body quoted in a message. */
const BODY_START_CHARS = 200

/** The start of a body as one line of plain, sanitised text (tags dropped), for a message. */
export function bodyStart(body: string): string {
  return serverText(body.replace(/<[^>]*>/g, ' '), BODY_START_CHARS) ?? '(empty body)'
}
