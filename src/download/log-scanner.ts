import { HEAD_BYTES } from '../http/transfer-watch.js'
import { extensionFor } from './format.js'
import type { Finding } from './recognisers/recogniser.js'
import { scanBlock } from './scan-kernel.js'
import { RECOGNISERS } from './recognisers/index.js'
import { toolLine, type Recogniser, type RecogniserState } from './recognisers/recogniser.js'

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
   * heading (`COMPILATION ERROR :`) has none of its own.
   */
  errorGroups: string[][]
  firstError?: FirstError
  findings?: Finding[]
}

/** Lines of the first error's excerpt kept before the error line. */
export const LINES_BEFORE = 5
/** Lines of the first error's excerpt in all: before, the error line, and after. */
export const EXCERPT_LINES = 20
/** Lines kept of one build error: its line and the detail lines below it. */
export const MAX_GROUP_LINES = 5
/** Build errors kept per log: the most annotations the action raises for all stages together. */
export const MAX_ERROR_GROUPS = 10
/**
 * Error lines that may start a build error, per log. Maven prints each compile error twice and
 * headings between them, so MAX_ERROR_GROUPS distinct errors take a few dozen; a build that
 * repeats one error a million times keeps popping the repeat and never fills the groups. Past
 * this many, error lines are only counted, so gathering costs the same whatever the log's size.
 */
export const MAX_GROUP_STARTS = 1000
/** Longest line kept for an excerpt or annotation; the rest is cut. */
export const MAX_LINE_CHARS = 500
// A line is read from at most this many bytes: enough for MAX_LINE_CHARS characters of any size.
const MAX_LINE_BYTES = 4 * MAX_LINE_CHARS
// Enough bytes to hold LINES_BEFORE lines before an error in an earlier chunk.
const CONTEXT_BYTES = 32 * 1024
// A line longer than this is only partly kept while it is incomplete.
const MAX_CARRY_BYTES = 64 * 1024
const NEWLINE = 0x0a
const ERROR_MARK = Buffer.from('[ERROR]')
const WARN_MARK = Buffer.from('[WARN')
const SPACE = 0x20
const TAB = 0x09
const CR = 0x0d
const COLON = 0x3a
const OPEN_BRACKET = 0x5b
const CLOSE_BRACKET = 0x5d

// Maven prints these fixed lines after every failed build; they advise, they are no error.
const MAVEN_ADVICE =
  /^(?:-> \[Help \d+\]$|\[Help \d+\] |To see the full stack trace of the errors|Re-run Maven using the -X switch|For more information about the errors and possible solutions|After correcting the problems, you can resume the build)/

/** One build error as it is gathered: its lines, and its messages to tell repeats apart. */
interface ErrorGroup {
  lines: string[]
  key: string
  /** A single line ending in `:`, announcing what follows rather than saying what is wrong. */
  heading: boolean
  /** Maven's advice after a failed build (`-> [Help 1]`, `Re-run Maven using the -X switch…`). */
  advice: boolean
  /** Whether an indented `[ERROR]` line right after it still belongs to it. */
  open: boolean
}

function shorten(line: string): string {
  const text = line.replace(/\r$/, '')
  return text.length > MAX_LINE_CHARS ? `${text.slice(0, MAX_LINE_CHARS)}…` : text
}

/** The line from `start` to `end`, shortened, decoding no more than it keeps. */
function lineAt(block: Buffer, start: number, end: number): string {
  return shorten(block.toString('utf8', start, Math.min(end, start + MAX_LINE_BYTES)))
}

/**
 * Where the message of an `[ERROR]` line starts: after the mark, one space, and CodeArts' action
 * tag (` [action:tag] : `) when there is one. Read from the bytes: continuation lines of a long
 * run of errors are told apart without decoding them.
 */
function messageStart(block: Buffer, mark: number, end: number): number {
  let at = mark + ERROR_MARK.length
  if (block[at] === SPACE) at++
  if (block[at] !== OPEN_BRACKET) return at
  // A loop, not indexOf: tags are short, and a native call per line costs more.
  let close = at + 1
  while (close < end && block[close] !== CLOSE_BRACKET) close++
  if (close === end) return at
  let after = close + 1
  if (block[after] === SPACE) after++
  if (block[after] !== COLON) return at
  after++
  return block[after] === SPACE ? after + 1 : after
}

/** Whether the bytes from `from` to `end` are only spaces, tabs and a carriage return. */
function isBlank(block: Buffer, from: number, end: number): boolean {
  for (let at = from; at < end; at++) if (!isSpace(block[at])) return false
  return true
}

const isSpace = (byte: number): boolean => byte === SPACE || byte === TAB || byte === CR

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

/** TEMPORARY line driver of the recognisers, until the byte pass finds their triggers. */
class RecogniserDriver {
  private readonly states: { recogniser: Recogniser; state: RecogniserState; wanted: number }[]
  constructor(recognisers: readonly Recogniser[]) {
    this.states = recognisers.map(recogniser => ({
      recogniser,
      state: recogniser.start(),
      wanted: 0
    }))
  }
  line(raw: string): boolean {
    let line: string | undefined
    let rec = false
    for (const entry of this.states) {
      if (entry.wanted > 0) {
        line ??= toolLine(raw)
        const f = entry.state.following(line)
        if (f === 'recognised') rec = true
        if (f !== 'done') {
          entry.wanted--
          continue
        }
        entry.wanted = 0
      }
      if (!entry.recogniser.triggers.some(trigger => raw.includes(trigger))) continue
      line ??= toolLine(raw)
      const take = entry.state.candidate(line)
      if (take?.recognised) rec = true
      if (take) entry.wanted = Math.min(take.following, entry.recogniser.maxFollowing)
    }
    return rec
  }
  finish(): Finding[] {
    return this.states.flatMap(entry => entry.state.finish())
  }
}

/**
 * Counts lines, `[ERROR]` and `[WARN…]` lines of a CodeArts log chunk by chunk, without
 * splitting it into strings (logs reach gigabytes), and keeps the first error with the lines
 * around it and the first few errors with their detail lines. Compressed bodies (gzip, zip) are
 * not scanned.
 */
export class LogScanner {
  private lines = 0
  private errors = 0
  private warnings = 0
  private readonly groups: ErrorGroup[] = []
  /** Error lines that started a build error, repeats and headings dropped later included. */
  private groupStarts = 0
  /**
   * No further error is gathered: MAX_ERROR_GROUPS are kept and the last one is closed, or
   * MAX_GROUP_STARTS were started.
   */
  private groupsDone = false
  /** Whether the last line scanned was an `[ERROR]` line. */
  private endedOnError = false
  private firstError?: FirstError
  /** Lines still to add to the first error's excerpt. */
  private linesAfter = 0
  /** The start of a line whose newline has not arrived yet. */
  private carry: Buffer = Buffer.alloc(0)
  /** The last blocks scanned, by reference, while context for a first error may be needed. */
  private recent: Buffer[] = []
  private recentBytes = 0
  private compressed?: boolean
  private undecided: Buffer = Buffer.alloc(0)
  private readonly driver = new RecogniserDriver(RECOGNISERS)
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
    if (!this.groupsDone) this.settleLastGroup(true)
    return {
      lines: this.lines,
      errors: this.errors,
      warnings: this.warnings,
      errorGroups: this.groups.map(group => group.lines),
      firstError: this.firstError,
      findings: this.driver.finish()
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
    const recognisedAt = new Set<number>()
    let offset = 0
    for (const raw of block.toString('utf8', 0, block.length - 1).split('\n')) {
      if (this.driver.line(raw)) recognisedAt.add(offset)
      offset += Buffer.byteLength(raw) + 1
    }
    if (this.linesAfter > 0) this.addLinesAfter(block, 0)
    const linesBefore = this.lines
    const candidates = this.candidates
    candidates.length = 0
    this.lines += scanBlock(block, candidates)
    // Each line counts once however many marks it holds: skip to the next line after a hit.
    let warnFrom = 0
    let errorFrom = 0
    // Where the line after the last `[ERROR]` line starts: an error line there follows it.
    let afterError = this.endedOnError ? 0 : -1
    for (const at of candidates) {
      if (block[at + 1] === WARN_MARK[1]) {
        if (at < warnFrom || !startsWith(block, at, WARN_MARK)) continue
        this.warnings++
        warnFrom = block.indexOf(NEWLINE, at) + 1
        continue
      }
      if (at < errorFrom || !startsWith(block, at, ERROR_MARK)) continue
      const end = block.indexOf(NEWLINE, at)
      errorFrom = end + 1
      this.errors++
      // Once the errors are gathered and the first one kept, an error line is only counted.
      if (this.groupsDone && this.firstError) continue
      const start = block.lastIndexOf(NEWLINE, at) + 1
      if (!this.groupsDone && !recognisedAt.has(start))
        this.gather(block, start, at, end, start === afterError)
      afterError = end + 1
      if (!this.firstError) {
        const context = this.linesBeforeError(block, start, end)
        this.firstError = {
          line: linesBefore + countNewlines(block.subarray(0, start)) + 1,
          context
        }
        this.recent = []
        this.linesAfter = EXCERPT_LINES - context.length
        this.addLinesAfter(block, end + 1)
      }
    }
    this.endedOnError = afterError === block.length
    if (!this.firstError) this.remember(block)
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

  /**
   * Adds the `[ERROR]` line from `start` (its mark at `mark`) to the build errors: to the last
   * one when it is indented and right below it, else as a new one.
   */
  private gather(block: Buffer, start: number, mark: number, end: number, follows: boolean): void {
    const from = messageStart(block, mark, end)
    const last = this.groups[this.groups.length - 1]
    if (isBlank(block, from, end)) {
      // Maven's blank `[ERROR]` line ends what is above it.
      if (last) last.open = false
      return
    }
    if (follows && last?.open && isSpace(block[from])) {
      if (last.lines.length < MAX_GROUP_LINES) {
        last.lines.push(lineAt(block, start, end))
        last.key += `\n${lineAt(block, from, end).trim()}`
      }
      last.heading = false
      return
    }
    this.settleLastGroup(false)
    if (this.groups.length >= MAX_ERROR_GROUPS || this.groupStarts >= MAX_GROUP_STARTS) {
      this.groupsDone = true
      return
    }
    this.groupStarts++
    const text = lineAt(block, from, end).trim()
    this.groups.push({
      lines: [lineAt(block, start, end)],
      key: text,
      heading: text.endsWith(':'),
      advice: MAVEN_ADVICE.test(text),
      open: true
    })
  }

  /**
   * Drops the last build error when it repeats an earlier one (Maven prints each compile error
   * twice), is Maven's advice, or is a bare heading with a real error after it (or, at the end,
   * before it).
   */
  private settleLastGroup(atEnd: boolean): void {
    const last = this.groups[this.groups.length - 1]
    if (!last) return
    const repeated = this.groups.some(group => group !== last && group.key === last.key)
    const bareHeading = last.heading && (!atEnd || this.groups.length > 1)
    if (repeated || last.advice || bareHeading) this.groups.pop()
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
