import { ELLIPSIS, cutCodeUnits } from '../text-cut.js'

/** Longest line kept for an excerpt or annotation; the rest is cut. */
export const MAX_LINE_CHARS = 500
/** A line is read from at most this many bytes: enough for MAX_LINE_CHARS characters of any size. */
export const MAX_LINE_BYTES = 4 * MAX_LINE_CHARS

/** A log line for an excerpt or annotation: without its `\r`, cut to MAX_LINE_CHARS with `…`. */
export function shorten(line: string): string {
  return cutCodeUnits(line.replace(/\r$/, ''), MAX_LINE_CHARS + ELLIPSIS.length)
}

/** The line from `start` to `end` of `block`, shortened, decoding no more than it keeps. */
export function lineAt(block: Buffer, start: number, end: number): string {
  return shorten(block.toString('utf8', start, Math.min(end, start + MAX_LINE_BYTES)))
}
