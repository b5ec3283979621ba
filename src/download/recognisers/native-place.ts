import type { ReportedPlace } from './recogniser.js'

// A line or column with more digits than this is no position a tool prints.
const MAX_DIGITS = 9

/** A 1-based number written in ASCII digits only; undefined for anything else. */
export function positiveNumber(text: string): number | undefined {
  if (text.length === 0 || text.length > MAX_DIGITS) return undefined
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code < 0x30 || code > 0x39) return undefined
  }
  const value = Number(text)
  return value > 0 ? value : undefined
}

/**
 * The place that `text` ends with, as tools print it: `path:line:column` when `withColumn`, else
 * `path:line`. The path is everything before, as printed (absolute, relative, a Windows drive);
 * undefined when it is empty or a number is missing. Reads `text` from its end, so a line of
 * `a:a:a:…` costs its length.
 */
export function placeAtEnd(text: string, withColumn: boolean): ReportedPlace | undefined {
  const last = text.lastIndexOf(':')
  if (last <= 0) return undefined
  const lastNumber = positiveNumber(text.slice(last + 1))
  if (lastNumber === undefined) return undefined
  if (!withColumn) return { path: text.slice(0, last), line: lastNumber }
  const before = text.lastIndexOf(':', last - 1)
  if (before <= 0) return undefined
  const line = positiveNumber(text.slice(before + 1, last))
  return line === undefined ? undefined : { path: text.slice(0, before), line, column: lastNumber }
}
