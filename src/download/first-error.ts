import { lineAt, shorten } from './log-lines.js'

/** The first build error of a log, with the lines around it. */
export interface FirstError {
  /** 1-based line number of the error line. */
  line: number
  /**
   * Up to LINES_BEFORE lines before the error line, the error line, then the lines after it:
   * EXCERPT_LINES in all at most, so the cause that build tools print after it is kept.
   */
  context: string[]
}

/** Lines of the first error's excerpt kept before the error line. */
export const LINES_BEFORE = 5
/** Lines of the first error's excerpt in all: before, the error line, and after. */
export const EXCERPT_LINES = 20
// Enough bytes to hold LINES_BEFORE lines before an error in an earlier block.
const CONTEXT_BYTES = 32 * 1024
const NEWLINE = 0x0a

/**
 * The excerpt of a log's first `[ERROR]` line, gathered from the blocks of whole lines as the
 * scanner passes them: until the error comes, it keeps references to the last blocks (enough
 * bytes for LINES_BEFORE lines, never a copy); after it, it takes the lines that follow until the
 * excerpt is full.
 */
export class FirstErrorExcerpt {
  private found?: FirstError
  /** Lines still to add after the error line. */
  private linesAfter = 0
  private recent: Buffer[] = []
  private recentBytes = 0

  /** The excerpt, once the error has come. */
  get error(): FirstError | undefined {
    return this.found
  }

  /** A block of whole lines starts: its first lines may belong after the error. */
  blockStarts(block: Buffer): void {
    if (this.linesAfter > 0) this.addLinesAfter(block, 0)
  }

  /** The block has been scanned: kept for the lines before an error in a later block. */
  blockScanned(block: Buffer): void {
    if (this.found) return
    this.recent.push(block)
    this.recentBytes += block.length
    while (this.recent.length > 1 && this.recentBytes - this.recent[0].length >= CONTEXT_BYTES) {
      this.recentBytes -= this.recent[0].length
      this.recent.shift()
    }
  }

  /**
   * The log's first `[ERROR]` line: from `start` to `end` of `block`, which starts after
   * `linesBefore` lines of the log.
   */
  errorAt(block: Buffer, start: number, end: number, linesBefore: number): void {
    const context = this.linesBeforeError(block, start, end)
    let line = linesBefore + 1
    for (
      let at = block.indexOf(NEWLINE);
      at !== -1 && at < start;
      at = block.indexOf(NEWLINE, at + 1)
    )
      line++
    this.found = { line, context }
    this.recent = []
    this.linesAfter = EXCERPT_LINES - context.length
    this.addLinesAfter(block, end + 1)
  }

  /** Up to LINES_BEFORE lines before the error line at `start`, then the error line. */
  private linesBeforeError(block: Buffer, start: number, end: number): string[] {
    const before = Buffer.concat([...this.recent, block.subarray(0, start)])
    const tail = before.subarray(Math.max(0, before.length - CONTEXT_BYTES)).toString('utf8')
    const lines = tail.split('\n').slice(0, -1).slice(-LINES_BEFORE).map(shorten)
    lines.push(lineAt(block, start, end))
    return lines
  }

  /** Adds the lines of `block` from `from` to the excerpt, while it has room. */
  private addLinesAfter(block: Buffer, from: number): void {
    const context = this.found?.context ?? []
    while (this.linesAfter > 0 && from < block.length) {
      const end = block.indexOf(NEWLINE, from)
      context.push(lineAt(block, from, end))
      this.linesAfter--
      from = end + 1
    }
  }
}
