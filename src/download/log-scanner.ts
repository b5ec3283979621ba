import { HEAD_BYTES } from '../http/transfer-watch.js'
import { ErrorGroups } from './error-groups.js'
import { extensionFor } from './format.js'
import { lineAt, shorten } from './log-lines.js'
import { RECOGNISERS } from './recognisers/index.js'
import {
  MAX_FINDINGS,
  MAX_TOOL_LINE_CHARS,
  toolLine,
  type Finding,
  type Recogniser,
  type RecogniserState
} from './recognisers/recogniser.js'
import { triggerKernel, triggerProblem, type TriggerKernel } from './scan-kernel.js'

export { MAX_ERROR_GROUPS, MAX_GROUP_LINES, MAX_GROUP_STARTS } from './error-groups.js'
export { MAX_LINE_CHARS } from './log-lines.js'

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

/** Lines of the first error's excerpt kept before the error line. */
export const LINES_BEFORE = 5
/** Lines of the first error's excerpt in all: before, the error line, and after. */
export const EXCERPT_LINES = 20
/** The most following lines a recogniser may ask for after a candidate. */
export const MAX_FOLLOWING = 1000
// Enough bytes to hold LINES_BEFORE lines before an error in an earlier chunk.
const CONTEXT_BYTES = 32 * 1024
// A line longer than this is only partly kept while it is incomplete.
const MAX_CARRY_BYTES = 64 * 1024
// A line for a recogniser is decoded from at most this many bytes: toolLine keeps at most
// 4 * MAX_TOOL_LINE_CHARS UTF-16 units of it, and any 3 bytes of UTF-8 decode to at least one.
const TOOL_LINE_BYTES = 3 * 4 * MAX_TOOL_LINE_CHARS
const NEWLINE = 0x0a
const ERROR_MARK = '[ERROR]'
const WARN_MARK = '[WARN'
// The marks are the kernel's first triggers; the recognisers' follow.
const [ERROR_TRIGGER, WARN_TRIGGER] = [0, 1]

function countNewlines(buf: Buffer): number {
  let count = 0
  for (let at = buf.indexOf(NEWLINE); at !== -1; at = buf.indexOf(NEWLINE, at + 1)) count++
  return count
}

/** The kernel's triggers for `recognisers`, and for each trigger the recognisers it is for. */
function triggersOf(recognisers: readonly Recogniser[]): {
  kernel: TriggerKernel
  owners: number[][]
} {
  const triggers = [ERROR_MARK, WARN_MARK]
  const owners: number[][] = [[], []]
  for (const [r, recogniser] of recognisers.entries()) {
    const { name, maxFollowing } = recogniser
    if (!Number.isInteger(maxFollowing) || maxFollowing < 0 || maxFollowing > MAX_FOLLOWING)
      throw new Error(
        `Recogniser ${name} asks for up to ${maxFollowing} following lines; 0 to ${MAX_FOLLOWING} are allowed`
      )
    for (const trigger of new Set(recogniser.triggers)) {
      const problem = triggerProblem(Buffer.from(trigger))
      if (problem) throw new Error(`Recogniser ${name}: ${problem}`)
      let t = triggers.indexOf(trigger)
      if (t === -1) t = triggers.push(trigger) - 1
      owners[t] ??= []
      owners[t].push(r)
    }
  }
  return { kernel: triggerKernel(triggers), owners }
}

/**
 * Counts lines, `[ERROR]` and `[WARN…]` lines of a CodeArts log chunk by chunk, without
 * splitting it into strings (logs reach gigabytes), keeps the first error with the lines around
 * it, and drives the recognisers of compile errors and failing tests. Compressed bodies (gzip,
 * zip) are not scanned.
 *
 * The byte pass (scan-kernel.ts) finds every occurrence of the marks and of the recognisers'
 * triggers in one pass. Only the lines that hold one, and the lines a recogniser asks for after
 * them, are decoded: an ordinary line costs no JavaScript at all. Each recogniser is driven on its
 * own by the rules of recognisers/recogniser.ts; the `[ERROR]` lines that none recognised go to
 * the build errors gathered for warnings (error-groups.ts).
 */
export class LogScanner {
  private lines = 0
  private errors = 0
  private warnings = 0
  private readonly groups = new ErrorGroups()
  private firstError?: FirstError
  /** Lines still to add to the first error's excerpt. */
  private linesAfter = 0
  /**
   * The start of a line whose newline has not arrived yet: the first `carried` bytes. A copy
   * (so the chunks it came from can be freed) that grows by doubling, so a long line fed in small
   * chunks is not copied again with each one.
   */
  private carry: Buffer = Buffer.alloc(0)
  private carried = 0
  /** The last blocks scanned, by reference, while context for a first error may be needed. */
  private recent: Buffer[] = []
  private recentBytes = 0
  private compressed?: boolean
  private undecided: Buffer = Buffer.alloc(0)

  private readonly kernel: TriggerKernel
  /** Per trigger of the kernel, the recognisers it is for. */
  private readonly owners: number[][]
  /** Each recogniser's state for this log; undefined once it threw. */
  private readonly states: (RecogniserState | undefined)[]
  private readonly failures: string[] = []
  /** Per recogniser, how many more following lines it wants. */
  private readonly wanted: number[]
  /** Recognisers that want following lines. */
  private busy = 0

  // The line being gathered from the kernel's hits, in the block being scanned. Each line gets a
  // new serial number, so marking a recogniser with it needs no clearing between lines.
  private serial = 1
  /** Where the current line's newline is; -1 when there is no current line. */
  private lineEnd = -1
  /** Where it starts, when known; -1 until it is needed. */
  private lineStart = -1
  /** Its first hit: the line starts after the last newline before it. */
  private lineFirstHit = 0
  /** Where its first `[ERROR]` mark is, or -1. */
  private lineError = -1
  private lineWarn = false
  /** The recognisers with a trigger on it. */
  private readonly lineRecognisers: number[] = []
  private readonly hitOnLine: number[]
  private readonly tookLine: number[]

  // Where the block being scanned stands.
  /** The start of the first line not yet handled. */
  private next = 0
  /** Lines counted before the block. */
  private blockLines = 0
  /** Where the line after the last `[ERROR]` line gathered starts: an error line there follows it. */
  private afterError = -1
  /** Whether the last line scanned was an `[ERROR]` line gathered. */
  private endedOnError = false

  /** `recognisers` are driven on every log: RECOGNISERS unless a test gives its own. */
  constructor(private readonly recognisers: readonly Recogniser[] = RECOGNISERS) {
    ;({ kernel: this.kernel, owners: this.owners } = triggersOf(recognisers))
    this.states = recognisers.map(recogniser => recogniser.start())
    this.wanted = recognisers.map(() => 0)
    this.hitOnLine = recognisers.map(() => 0)
    this.tookLine = recognisers.map(() => 0)
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
    const findings: Finding[] = []
    for (const r of this.states.keys()) {
      const found = this.call(r, state => state.finish())
      if (found) findings.push(...found.slice(0, MAX_FINDINGS))
    }
    return {
      lines: this.lines,
      errors: this.errors,
      warnings: this.warnings,
      errorGroups: this.groups.finish(),
      firstError: this.firstError,
      findings,
      ...(this.failures.length > 0 && { recogniserFailures: this.failures })
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
    if (this.linesAfter > 0) this.addLinesAfter(block, 0)
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
    if (!this.firstError) this.remember(block)
  }

  /** An occurrence of trigger `t` at `at`: on the current line, or the first on a later one. */
  private hit(block: Buffer, at: number, t: number): void {
    if (at > this.lineEnd) {
      if (this.lineEnd !== -1) this.handleLine(block)
      this.follow(block, at)
      this.lineEnd = block.indexOf(NEWLINE, at)
      this.lineFirstHit = at
      this.lineStart = this.busy > 0 ? this.next : -1
    }
    // A line's hits come in the order of their fingerprints, not always of their starts.
    if (t === ERROR_TRIGGER) {
      if (this.lineError === -1 || at < this.lineError) this.lineError = at
    } else if (t === WARN_TRIGGER) this.lineWarn = true
    const owners = this.owners[t]
    for (let i = 0; i < owners.length; i++) {
      const r = owners[i]
      if (this.hitOnLine[r] === this.serial) continue
      this.hitOnLine[r] = this.serial
      this.lineRecognisers.push(r)
    }
  }

  /** Handles the current line: it has all its hits. */
  private handleLine(block: Buffer): void {
    const end = this.lineEnd
    let recognised = false
    let start = this.lineStart
    if (this.busy > 0 || this.lineRecognisers.length > 0) {
      if (start === -1) start = block.lastIndexOf(NEWLINE, this.lineFirstHit) + 1
      recognised = this.drive(block, start, end)
    }
    if (this.lineError !== -1) this.errorLine(block, start, this.lineError, end, recognised)
    if (this.lineWarn) this.warnings++
    this.next = end + 1
    this.lineEnd = -1
    this.lineError = -1
    this.lineWarn = false
    this.lineRecognisers.length = 0
    this.serial++
  }

  /**
   * Hands the lines from `next` that end before `limit`, and hold no trigger, to the recognisers
   * that want following lines, while some do.
   */
  private follow(block: Buffer, limit: number): void {
    while (this.busy > 0 && this.next < limit) {
      const end = block.indexOf(NEWLINE, this.next)
      if (end >= limit) return
      this.drive(block, this.next, end)
      this.next = end + 1
      this.serial++
    }
  }

  /**
   * Drives the recognisers over the line from `start` to `end`, by the contract's rules: first
   * those that want following lines, then those with a trigger on it (unless they took it as a
   * following line). Whether one recognised it.
   */
  private drive(block: Buffer, start: number, end: number): boolean {
    const line = toolLine(block.toString('utf8', start, Math.min(end, start + TOOL_LINE_BYTES)))
    let recognised = false
    for (let r = 0; this.busy > 0 && r < this.wanted.length; r++) {
      if (this.wanted[r] === 0) continue
      const followed = this.call(r, state => state.following(line)) ?? 'done'
      if (followed === 'done') {
        this.want(r, 0)
        continue
      }
      this.want(r, this.wanted[r] - 1)
      this.tookLine[r] = this.serial
      if (followed === 'recognised') recognised = true
    }
    for (const r of this.lineRecognisers) {
      if (this.tookLine[r] === this.serial) continue
      const take = this.call(r, state => state.candidate(line))
      if (!take) continue
      if (take.recognised) recognised = true
      const following = Math.floor(take.following)
      this.want(r, following > 0 ? Math.min(following, this.recognisers[r].maxFollowing) : 0)
    }
    return recognised
  }

  private want(r: number, lines: number): void {
    if (this.wanted[r] > 0) this.busy--
    this.wanted[r] = this.states[r] ? lines : 0
    if (this.wanted[r] > 0) this.busy++
  }

  /**
   * Calls recogniser `r`, unless it threw before. A recogniser that throws (a log it was not
   * written for) is dropped for the rest of the log and named in the stats; the scan goes on.
   */
  private call<T>(r: number, use: (state: RecogniserState) => T): T | undefined {
    const state = this.states[r]
    if (!state) return undefined
    try {
      return use(state)
    } catch (error) {
      this.states[r] = undefined
      this.want(r, 0)
      const message = error instanceof Error ? error.message : String(error)
      this.failures.push(`${this.recognisers[r].name}: ${shorten(message)}`)
      return undefined
    }
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
    if (this.groups.done && this.firstError) return
    if (start === -1) start = block.lastIndexOf(NEWLINE, mark) + 1
    if (!this.groups.done && !recognised) {
      this.groups.add(block, start, mark, end, start === this.afterError)
      this.afterError = end + 1
    }
    if (!this.firstError) {
      const context = this.linesBeforeError(block, start, end)
      this.firstError = {
        line: this.blockLines + countNewlines(block.subarray(0, start)) + 1,
        context
      }
      this.recent = []
      this.linesAfter = EXCERPT_LINES - context.length
      this.addLinesAfter(block, end + 1)
    }
  }

  /** Up to LINES_BEFORE lines before the error line at `start`, then the error line. */
  private linesBeforeError(block: Buffer, start: number, end: number): string[] {
    const before = Buffer.concat([...this.recent, block.subarray(0, start)])
    const tail = before.subarray(Math.max(0, before.length - CONTEXT_BYTES)).toString('utf8')
    const lines = tail.split('\n').slice(0, -1).slice(-LINES_BEFORE).map(shorten)
    lines.push(lineAt(block, start, end))
    return lines
  }

  /** Adds the lines of `block` from `from` to the first error's excerpt, while it has room. */
  private addLinesAfter(block: Buffer, from: number): void {
    const context = this.firstError?.context ?? []
    while (this.linesAfter > 0 && from < block.length) {
      const end = block.indexOf(NEWLINE, from)
      context.push(lineAt(block, from, end))
      this.linesAfter--
      from = end + 1
    }
  }

  /** Keeps references to the last blocks, enough bytes for LINES_BEFORE lines. */
  private remember(block: Buffer): void {
    this.recent.push(block)
    this.recentBytes += block.length
    while (this.recent.length > 1 && this.recentBytes - this.recent[0].length >= CONTEXT_BYTES) {
      this.recentBytes -= this.recent[0].length
      this.recent.shift()
    }
  }
}
