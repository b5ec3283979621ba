import { HEAD_BYTES } from '../http/transfer-watch.js'
import { extensionFor } from './format.js'
import { scanBlock } from './scan-kernel.js'

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

// A loop over a few bytes: cheaper here than Buffer.compare's native call.
function startsWith(block: Buffer, at: number, mark: Buffer): boolean {
  if (at + mark.length > block.length) return false
  for (let i = 0; i < mark.length; i++) if (block[at + i] !== mark[i]) return false
  return true
}

function countNewlines(buf: Buffer): number {
  let count = 0
  for (let at = buf.indexOf(NEWLINE); at !== -1; at = buf.indexOf(NEWLINE, at + 1)) count++
  return count
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
  /** The start of a line whose newline has not arrived yet. */
  private carry: Buffer = Buffer.alloc(0)
  /** The last blocks scanned, by reference, while context for a first error may be needed. */
  private recent: Buffer[] = []
  private recentBytes = 0
  private compressed?: boolean
  private undecided: Buffer = Buffer.alloc(0)
  /** Where a mark may start in the block being scanned; reused to spare an array per block. */
  private readonly candidates: number[] = []

  /** Feeds the next chunk of the body. */
  write(chunk: Buffer): void {
    if (this.compressed === undefined) {
      // The format is told by the first HEAD_BYTES bytes, however the body was chunked.
      this.undecided = Buffer.concat([this.undecided, chunk])
      if (this.undecided.length < HEAD_BYTES) return
      chunk = this.decide()
    }
    if (this.compressed) return
    const first = chunk.indexOf(NEWLINE)
    if (first === -1) {
      this.carry = this.keepCarry(Buffer.concat([this.carry, chunk]))
      return
    }
    // Only the line that spans chunks is copied; the rest of the chunk is scanned in place.
    const joined = chunk.subarray(0, first + 1)
    this.scanLines(this.carry.length > 0 ? Buffer.concat([this.carry, joined]) : joined)
    const last = chunk.lastIndexOf(NEWLINE)
    if (last > first) this.scanLines(chunk.subarray(first + 1, last + 1))
    this.carry = this.keepCarry(chunk.subarray(last + 1))
  }

  /** The counts, once the body has ended; undefined for a compressed body. */
  finish(): LogStats | undefined {
    if (this.compressed === undefined) this.carry = this.decide()
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

  /** Settles whether the body is compressed from its first bytes; returns those bytes. */
  private decide(): Buffer {
    const head = this.undecided
    this.compressed = extensionFor(head) !== '.log'
    this.undecided = Buffer.alloc(0)
    return head
  }

  /** Copies the partial line (so the chunk it came from can be freed), shortened if huge. */
  private keepCarry(partial: Buffer): Buffer {
    return Buffer.from(partial.subarray(0, MAX_CARRY_BYTES))
  }

  /** Scans whole lines: `block` ends with a newline. */
  private scanLines(block: Buffer): void {
    const linesBefore = this.lines
    const candidates = this.candidates
    candidates.length = 0
    this.lines += scanBlock(block, candidates)
    // Each line counts once however many marks it holds: skip to the next line after a hit.
    let warnFrom = 0
    let errorFrom = 0
    for (const at of candidates) {
      if (block[at + 1] === WARN_MARK[1]) {
        if (at < warnFrom || !startsWith(block, at, WARN_MARK)) continue
        this.warnings++
        warnFrom = block.indexOf(NEWLINE, at) + 1
        continue
      }
      if (at < errorFrom || !startsWith(block, at, ERROR_MARK)) continue
      const start = block.lastIndexOf(NEWLINE, at) + 1
      const end = block.indexOf(NEWLINE, at)
      errorFrom = end + 1
      this.errors++
      if (this.errorLines.length < MAX_ERROR_LINES) {
        this.errorLines.push(shorten(block.toString('utf8', start, end)))
      }
      if (!this.firstError) {
        this.firstError = {
          line: linesBefore + countNewlines(block.subarray(0, start)) + 1,
          context: this.contextBefore(block, start, end)
        }
        this.recent = []
      }
    }
    if (!this.firstError) this.remember(block)
  }

  /** Up to CONTEXT_LINES lines before the error line at `start`, then the error line. */
  private contextBefore(block: Buffer, start: number, end: number): string[] {
    const before = Buffer.concat([...this.recent, block.subarray(0, start)])
    const tail = before.subarray(Math.max(0, before.length - CONTEXT_BYTES)).toString('utf8')
    const lines = tail.split('\n').slice(0, -1).slice(-CONTEXT_LINES)
    lines.push(block.toString('utf8', start, end))
    return lines.map(shorten)
  }

  /** Keeps references to the last blocks, enough bytes for CONTEXT_LINES ordinary lines. */
  private remember(block: Buffer): void {
    this.recent.push(block)
    this.recentBytes += block.length
    while (this.recent.length > 1 && this.recentBytes - this.recent[0].length >= CONTEXT_BYTES) {
      this.recentBytes -= this.recent[0].length
      this.recent.shift()
    }
  }
}
