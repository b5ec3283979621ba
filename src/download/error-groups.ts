import { lineAt } from './log-lines.js'

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

const ERROR_MARK_BYTES = '[ERROR]'.length
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

/**
 * Where the message of an `[ERROR]` line starts: after the mark, one space, and CodeArts' action
 * tag (` [action:tag] : `) when there is one. Read from the bytes: continuation lines of a long
 * run of errors are told apart without decoding them.
 */
function messageStart(block: Buffer, mark: number, end: number): number {
  let at = mark + ERROR_MARK_BYTES
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

const isSpace = (byte: number): boolean => byte === SPACE || byte === TAB || byte === CR

/** Whether the bytes from `from` to `end` are only spaces, tabs and a carriage return. */
function isBlank(block: Buffer, from: number, end: number): boolean {
  for (let at = from; at < end; at++) if (!isSpace(block[at])) return false
  return true
}

/**
 * The first few build errors of a log, each once, for annotations: an `[ERROR]` line and the
 * indented `[ERROR]` lines right after it that belong to it. The scanner hands it, in log order,
 * the `[ERROR]` lines that no recogniser recognised (a recognised line raises an error of its own,
 * never also a warning); any other line between two of them ends the first one's run.
 */
export class ErrorGroups {
  private readonly groups: ErrorGroup[] = []
  /** Error lines that started a build error, repeats and headings dropped later included. */
  private starts = 0
  private gathered = false

  /**
   * No further error is gathered: MAX_ERROR_GROUPS are kept and the last one is closed, or
   * MAX_GROUP_STARTS were started.
   */
  get done(): boolean {
    return this.gathered
  }

  /**
   * Adds the `[ERROR]` line from `start` to `end` in `block` (its mark at `mark`): to the last
   * build error when it is indented and `follows` it (is the line right after the last one
   * added), else as a new one.
   */
  add(block: Buffer, start: number, mark: number, end: number, follows: boolean): void {
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
    this.settleLast(false)
    if (this.groups.length >= MAX_ERROR_GROUPS || this.starts >= MAX_GROUP_STARTS) {
      this.gathered = true
      return
    }
    this.starts++
    const text = lineAt(block, from, end).trim()
    this.groups.push({
      lines: [lineAt(block, start, end)],
      key: text,
      heading: text.endsWith(':'),
      advice: MAVEN_ADVICE.test(text),
      open: true
    })
  }

  /** The build errors, once the log has ended. */
  finish(): string[][] {
    if (!this.gathered) this.settleLast(true)
    this.gathered = true
    return this.groups.map(group => group.lines)
  }

  /**
   * Drops the last build error when it repeats an earlier one (Maven prints each compile error
   * twice), is Maven's advice, or is a bare heading with a real error after it (or, at the end,
   * before it).
   */
  private settleLast(atEnd: boolean): void {
    const last = this.groups[this.groups.length - 1]
    if (!last) return
    const repeated = this.groups.some(group => group !== last && group.key === last.key)
    const bareHeading = last.heading && (!atEnd || this.groups.length > 1)
    if (repeated || last.advice || bareHeading) this.groups.pop()
  }
}
