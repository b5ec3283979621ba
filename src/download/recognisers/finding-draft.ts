import { MAX_MESSAGE_LINES, type ReportedPlace } from './recogniser.js'

/** A failure whose message lines are still being read. */
export interface Draft {
  lines: string[]
  place?: ReportedPlace
}

/**
 * Adds a line to a message being read while it holds at most MAX_MESSAGE_LINES: one more than a
 * finding keeps, for a leading blank line that `findingMessage` drops.
 */
export function addMessageLine(lines: string[], line: string): void {
  if (lines.length <= MAX_MESSAGE_LINES) lines.push(line)
}

/**
 * Lines with their common leading whitespace removed (blank lines do not count), so a message
 * that a tool indents under its header reads as the tool's message.
 */
export function dedent(lines: readonly string[]): string[] {
  let indent = Infinity
  for (const line of lines) {
    if (line.trim() === '') continue
    indent = Math.min(indent, line.length - line.trimStart().length)
  }
  return indent === Infinity || indent === 0 ? [...lines] : lines.map(line => line.slice(indent))
}
