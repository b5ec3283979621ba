import { extensionFor } from './format.js'

/** The first build error of a log, with the lines that led up to it. */
export interface FirstError {
  /** 1-based line number of the error line. */
  line: number
  /** Up to CONTEXT_LINES lines before the error, then the error line itself. */
  context: string[]
}

/** What a log says about the build, counted as it streams past. */
export interface LogStats {
  lines: number
  errors: number
  warnings: number
  /** The first few `[ERROR]` lines, shortened, for annotations. */
  errorLines: string[]
  firstError?: FirstError
}

/** Lines of context kept before the first error. */
export const CONTEXT_LINES = 20
/** Longest line kept for an excerpt or annotation; the rest is cut. */
export const MAX_LINE_CHARS = 500
const MAX_ERROR_LINES = 10
// Enough bytes to hold CONTEXT_LINES ordinary lines before an error in an earlier chunk.
const CONTEXT_BYTES = 32 * 1024
// A line longer than this is only partly kept while it is incomplete.
const MAX_CARRY_BYTES = 64 * 1024
const NEWLINE = 0x0a
const ERROR_MARK = Buffer.from('[ERROR]')
const WARN_MARK = Buffer.from('[WARN')

function shorten(line: string): string {
  const text = line.replace(/\r$/, '')
  return text.length > MAX_LINE_CHARS ? `${text.slice(0, MAX_LINE_CHARS)}…` : text
}

/** Counts newlines; splitting a latin1 view measured about twice as fast as an indexOf loop. */
function countNewlines(buf: Buffer): number {
  return buf.toString('latin1').split('\n').length - 1
}

/**
 * Counts lines, `[ERROR]` and `[WARN…]` lines of a CodeArts log chunk by chunk, without
 * splitting it into strings (logs reach gigabytes), and keeps the first error with its context.
 * Compressed bodies (gzip, zip) are not scanned.
 */
export class LogScanner {
  private lines = 0
  private errors = 0
  private warnings = 0
  private readonly errorLines: string[] = []
  private firstError?: FirstError
  private carry: Buffer = Buffer.alloc(0)
  private recent: Buffer = Buffer.alloc(0)
  private compressed?: boolean

  /** Feeds the next chunk of the body. */
  write(chunk: Buffer): void {
    this.compressed ??= extensionFor(chunk) !== '.log'
    if (this.compressed) return
    const data = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk
    const end = data.lastIndexOf(NEWLINE)
    if (end === -1) {
      this.carry =
        data.length > MAX_CARRY_BYTES ? Buffer.from(data.subarray(0, MAX_CARRY_BYTES)) : data
      return
    }
    this.scanLines(data.subarray(0, end + 1))
    this.carry = Buffer.from(data.subarray(end + 1, end + 1 + MAX_CARRY_BYTES))
  }

  /** The counts, once the body has ended; undefined for a compressed body. */
  finish(): LogStats | undefined {
    if (this.compressed) return undefined
    if (this.carry.length > 0) {
      this.scanLines(Buffer.concat([this.carry, Buffer.from([NEWLINE])]))
      this.carry = Buffer.alloc(0)
    }
    return {
      lines: this.lines,
      errors: this.errors,
      warnings: this.warnings,
      errorLines: this.errorLines,
      firstError: this.firstError
    }
  }

  /** Scans whole lines: `block` ends with a newline. */
  private scanLines(block: Buffer): void {
    const linesBefore = this.lines
    this.lines += countNewlines(block)
    this.warnings += this.countMarked(block, WARN_MARK)
    for (let at = block.indexOf(ERROR_MARK); at !== -1;) {
      const start = block.lastIndexOf(NEWLINE, at) + 1
      const end = block.indexOf(NEWLINE, at)
      this.errors++
      if (this.errorLines.length < MAX_ERROR_LINES) {
        this.errorLines.push(shorten(block.toString('utf8', start, end)))
      }
      if (!this.firstError) {
        const before = Buffer.concat([this.recent, block.subarray(0, start)])
        const context = before.toString('utf8').split('\n').slice(0, -1).slice(-CONTEXT_LINES)
        context.push(block.toString('utf8', start, end))
        this.firstError = {
          line: linesBefore + countNewlines(block.subarray(0, start)) + 1,
          context: context.map(shorten)
        }
      }
      at = block.indexOf(ERROR_MARK, end + 1)
    }
    if (!this.firstError) {
      const keep = block.length >= CONTEXT_BYTES ? block : Buffer.concat([this.recent, block])
      this.recent = Buffer.from(keep.subarray(Math.max(0, keep.length - CONTEXT_BYTES)))
    }
  }

  /** Counts lines holding `mark`, each line once. */
  private countMarked(block: Buffer, mark: Buffer): number {
    let count = 0
    for (let at = block.indexOf(mark); at !== -1;) {
      count++
      at = block.indexOf(mark, block.indexOf(NEWLINE, at) + 1)
    }
    return count
  }
}
