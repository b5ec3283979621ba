/** The longest a server string is kept, by what it is used for (in characters). */
export enum TextLimit {
  /** A stage's display name, a job name, an error code, an ID. */
  Name = 200,
  /** An error message or any longer descriptive field. */
  Message = 1000
}

/** The longest status word; anything longer is no status the API documents. */
const STATUS_CHARS = 32

/** The status shown for a value that is not a word. */
export const UNKNOWN_STATUS = 'unknown'

// Control characters (C0, DEL, C1 with NEL), line and paragraph separators, and the bidi and
// invisible format characters that can make a line read differently from what it holds.
const UNSAFE = /[\p{Cc}\p{Zl}\p{Zp}\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]+/gu
const STATUS_WORD = /^[a-z0-9_-]+$/

/**
 * Makes text a server controls inert in the job log without reshaping it: unsafe characters
 * become spaces, and `::` and `##[` are broken up, so it cannot start a workflow command.
 */
export function sanitizeForLog(text: string): string {
  // The runner reads `::cmd::` at the start of a line and the older `##[cmd]` anywhere in one.
  return text
    .replace(UNSAFE, ' ')
    .replace(/:(?=:)/g, ': ')
    .replace(/##\[/g, '# #[')
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
  // Code units bound code points from above, so most strings skip the split into characters.
  if (line.length <= maxChars) return line
  const chars = Array.from(line)
  return chars.length > maxChars
    ? `${chars
        .slice(0, maxChars - 1)
        .join('')
        .trimEnd()}…`
    : line
}

/**
 * Reads a status from a server as a lower-case word of letters, digits, `_` and `-`: '' when
 * there is none, UNKNOWN_STATUS for anything else, so a status can never carry other text.
 */
export function serverStatus(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') return ''
  const word = value.trim().toLowerCase()
  return word.length <= STATUS_CHARS && STATUS_WORD.test(word) ? word : UNKNOWN_STATUS
}
