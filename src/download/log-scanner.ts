import { HEAD_BYTES } from '../http/transfer-watch.js'
import { ErrorGroups } from './error-groups.js'
import { FirstErrorExcerpt, type FirstError } from './first-error.js'
import { extensionFor } from './format.js'
import { RecogniserDriver, triggersOf } from './recogniser-driver.js'
import { RECOGNISERS } from './recognisers/index.js'
import {
  MAX_TOOL_LINE_CHARS,
  toolLine,
  type Finding,
  type Recogniser
} from './recognisers/recogniser.js'
import { triggerKernel, type TriggerKernel } from './scan-kernel.js'

export { MAX_ERROR_GROUPS, MAX_GROUP_LINES, MAX_GROUP_STARTS } from './error-groups.js'
export { EXCERPT_LINES, LINES_BEFORE, type FirstError } from './first-error.js'
export { MAX_LINE_CHARS } from './log-lines.js'
export { MAX_FOLLOWING } from './recogniser-driver.js'

/** What a log says about the build, counted as it streams past. */
export interface LogStats {
  lines: number
  /** Lines with `[ERROR]`. */
  errors: number
  warnings: number
  /**
   * The first few build errors, each once, for annotations: an `[ERROR]` line and the indented
   * `[ERROR]` lines right after it that belong to it (at most MAX_GROUP_LINES, shortened). A bare
   * heading (`COMPILATION ERROR :`) has none of its own. A line that a recogniser recognised is
   * left out: it is one of `findings`.
   */
  errorGroups: string[][]
  firstError?: FirstError
  /** What the recognisers found: recogniser by recogniser, each in log order. */
  findings: Finding[]
  /**
   * Recognisers that threw, each as `name: message`, when any did: each was dropped for the rest
   * of the log, and the scan went on. Worth a debug line, never the step.
   */
  recogniserFailures?: string[]
}

// A line longer than this is only partly kept while it is incomplete.
const MAX_CARRY_BYTES = 64 * 1024
// A line for a recogniser is decoded from at most this many bytes: toolLine keeps at most
// 4 * MAX_TOOL_LINE_CHARS UTF-16 units of it, and any 3 bytes of UTF-8 decode to at least one.
const TOOL_LINE_BYTES = 3 * 4 * MAX_TOOL_LINE_CHARS
const NEWLINE = 0x0a
// The marks are the kernel's first triggers; the recognisers' follow.
const MARKS = ['[ERROR]', '[WARN']
const [ERROR_TRIGGER, WARN_TRIGGER] = [0, 1]

/** What the byte pass looks for with `recognisers`: the marks, then the recognisers' triggers. */
export function scannerTriggers(
  recognisers: readonly Recogniser[] = RECOGNISERS
): readonly string[] {
  return triggersOf(recognisers, MARKS).triggers
}

/**
 * Counts lines, `[ERROR]` and `[WARN…]` lines of a CodeArts log chunk by chunk, without
 * splitting it into strings (logs reach gigabytes), keeps the first error with the lines around
 * it (first-error.ts), and drives the recognisers of compile errors and failing tests
 * (recogniser-driver.ts). Compressed bodies (gzip, zip) are not scanned.
 *
 * The byte pass (scan-kernel.ts) finds every occurrence of the marks and of the recognisers'
 * triggers in one pass. Only the lines that hold one, and the lines a recogniser asks for after
 * them, are decoded: an ordinary line costs no JavaScript at all. The `[ERROR]` lines that no
 * recogniser recognised go to the build errors gathered for warnings (error-groups.ts).
 */
export class LogScanner {
  private lines = 0
  private errors = 0
  private warnings = 0
  private readonly groups = new ErrorGroups()
  private readonly excerpt = new FirstErrorExcerpt()
  private readonly driver: RecogniserDriver
  private readonly kernel: TriggerKernel
  /**
   * The start of a line whose newline has not arrived yet: the first `carried` bytes. A copy
   * (so the chunks it came from can be freed) that grows by doubling, so a long line fed in small
   * chunks is not copied again with each one.
   */
  private carry: Buffer = Buffer.alloc(0)
  private carried = 0
  private compressed?: boolean
  private undecided: Buffer = Buffer.alloc(0)

  // The line being gathered from the kernel's hits, in the block being scanned.
  /** Where the current line's newline is; -1 when there is no current line. */
  private lineEnd = -1
  /** Where it starts, when known; -1 until it is needed. */
  private lineStart = -1
  /** Its first hit: the line starts after the last newline before it. */
  private lineFirstHit = 0
  /** Where its first `[ERROR]` mark is, or -1. */
  private lineError = -1
  private lineWarn = false

  // Where the block being scanned stands.
  /** The start of the first line not yet handled. */
  private next = 0
  /** Lines counted before the block. */
  private blockLines = 0
  /** Where the line after the last `[ERROR]` line gathered starts: an error line there follows it. */
  private afterError = -1
  /** Whether the last line scanned was an `[ERROR]` line gathered. */
  private endedOnError = false

  /**
   * `recognisers` are driven on every log: RECOGNISERS unless a test gives its own. Throws when
   * one of them breaks the contract of recognisers/recogniser.ts.
   */
  constructor(recognisers: readonly Recogniser[] = RECOGNISERS) {
    this.driver = new RecogniserDriver(recognisers, MARKS)
    this.kernel = triggerKernel(this.driver.triggers)
  }

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
      this.keepCarry(chunk)
      return
    }
    // Only the line that spans chunks is copied; the rest of the chunk is scanned in place.
    const joined = chunk.subarray(0, first + 1)
    const carried = this.carry.subarray(0, this.carried)
    this.scanLines(this.carried > 0 ? Buffer.concat([carried, joined]) : joined)
    const last = chunk.lastIndexOf(NEWLINE)
    if (last > first) this.scanLines(chunk.subarray(first + 1, last + 1))
    this.carried = 0
    this.keepCarry(chunk.subarray(last + 1))
  }

  /** The counts and findings, once the body has ended; undefined for a compressed body. */
  finish(): LogStats | undefined {
    if (this.compressed === undefined) this.keepCarry(this.decide())
    if (this.compressed) return undefined
    if (this.carried > 0) {
      this.scanLines(Buffer.concat([this.carry.subarray(0, this.carried), Buffer.from([NEWLINE])]))
      this.carried = 0
    }
    const { findings, failures } = this.driver.finish()
    return {
      lines: this.lines,
      errors: this.errors,
      warnings: this.warnings,
      errorGroups: this.groups.finish(),
      firstError: this.excerpt.error,
      findings,
      ...(failures.length > 0 && { recogniserFailures: failures })
    }
  }

  /** Settles whether the body is compressed from its first bytes; returns those bytes. */
  private decide(): Buffer {
    const head = this.undecided
    this.compressed = extensionFor(head) !== '.log'
    this.undecided = Buffer.alloc(0)
    return head
  }

  /** Adds to the partial line, of which the first MAX_CARRY_BYTES are kept. */
  private keepCarry(partial: Buffer): void {
    const part = partial.subarray(0, MAX_CARRY_BYTES - this.carried)
    if (part.length === 0) return
    if (this.carried + part.length > this.carry.length) {
      const room = Math.max(2 * this.carry.length, this.carried + part.length, 256)
      const grown = Buffer.allocUnsafe(Math.min(room, MAX_CARRY_BYTES))
      this.carry.copy(grown, 0, 0, this.carried)
      this.carry = grown
    }
    part.copy(this.carry, this.carried)
    this.carried += part.length
  }

  /**
   * Scans whole lines: `block` ends with a newline. The kernel reports a window at a time; a
   * line is handled once all its hits are in, that is once it ends before the window's end.
   */
  private scanLines(block: Buffer): void {
    this.excerpt.blockStarts(block)
    this.blockLines = this.lines
    this.next = 0
    this.afterError = this.endedOnError ? 0 : -1
    const hits = this.kernel.hits
    for (let from = 0; from < block.length;) {
      const { lines, end, found } = this.kernel.scan(block, from)
      this.lines += lines
      for (let i = 0; i < 2 * found; i += 2) this.hit(block, from + hits[i], hits[i + 1])
      if (this.lineEnd !== -1 && this.lineEnd < end) this.handleLine(block)
      this.follow(block, end)
      from = end
    }
    this.endedOnError = this.afterError === block.length
    this.excerpt.blockScanned(block)
  }

  /** An occurrence of trigger `t` at `at`: on the current line, or the first on a later one. */
  private hit(block: Buffer, at: number, t: number): void {
    if (at > this.lineEnd) {
      if (this.lineEnd !== -1) this.handleLine(block)
      this.follow(block, at)
      this.lineEnd = block.indexOf(NEWLINE, at)
      this.lineFirstHit = at
      this.lineStart = this.driver.busy ? this.next : -1
    }
    // A line's hits come in the order of their fingerprints, not always of their starts.
    if (t === ERROR_TRIGGER) {
      if (this.lineError === -1 || at < this.lineError) this.lineError = at
    } else if (t === WARN_TRIGGER) this.lineWarn = true
    this.driver.triggered(t)
  }

  /** Handles the current line: it has all its hits. */
  private handleLine(block: Buffer): void {
    const end = this.lineEnd
    let start = this.lineStart
    let recognised = false
    if (this.driver.wantsLine) {
      if (start === -1) start = block.lastIndexOf(NEWLINE, this.lineFirstHit) + 1
      recognised = this.driver.endLine(this.toolLineAt(block, start, end))
    } else this.driver.skipLine()
    if (this.lineError !== -1) this.errorLine(block, start, this.lineError, end, recognised)
    if (this.lineWarn) this.warnings++
    this.next = end + 1
    this.lineEnd = -1
    this.lineError = -1
    this.lineWarn = false
  }

  /**
   * Hands the lines from `next` that end before `limit`, and hold no trigger, to the recognisers
   * that want following lines, while some do.
   */
  private follow(block: Buffer, limit: number): void {
    while (this.driver.busy && this.next < limit) {
      const end = block.indexOf(NEWLINE, this.next)
      if (end >= limit) return
      this.driver.endLine(this.toolLineAt(block, this.next, end))
      this.next = end + 1
    }
  }

  private toolLineAt(block: Buffer, start: number, end: number): string {
    return toolLine(block.toString('utf8', start, Math.min(end, start + TOOL_LINE_BYTES)))
  }

  /**
   * The `[ERROR]` line from `start` (-1: not yet known) to `end`, its mark at `mark`: counted, kept
   * as the first error, and gathered for the build errors unless a recogniser recognised it.
   */
  private errorLine(
    block: Buffer,
    start: number,
    mark: number,
    end: number,
    recognised: boolean
  ): void {
    this.errors++
    // Once the errors are gathered and the first one kept, an error line is only counted.
    if (this.groups.done && this.excerpt.error) return
    if (start === -1) start = block.lastIndexOf(NEWLINE, mark) + 1
    if (!this.groups.done && !recognised) {
      this.groups.add(block, start, mark, end, start === this.afterError)
      this.afterError = end + 1
    }
    if (!this.excerpt.error) this.excerpt.errorAt(block, start, end, this.blockLines)
  }
}
