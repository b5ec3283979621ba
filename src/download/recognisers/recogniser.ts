/**
 * The contract between the log scanner and the recognisers of compile errors and failing tests.
 *
 * The scanner's byte pass finds candidate lines without decoding the log: a line is a candidate
 * for a recogniser when it contains one of the recogniser's `triggers`. Only candidate lines,
 * and the bounded run of lines a recogniser asks for after one, are decoded, cleaned by
 * `toolLine` and handed to the recogniser. A recogniser never sees the raw bytes, so it cannot
 * slow the scan of ordinary lines.
 *
 * Driving rules, for one log and one recogniser (each recogniser is driven on its own):
 * - `candidate(line)` is called for a line that contains a trigger. It returns undefined when
 *   the line is not one of its tool's, else a `Take`: whether the line is part of a failure it
 *   reports, and how many of the lines after it it wants to see (0 to `maxFollowing`).
 * - While it wants more, each next line, candidate or not, goes to `following(line)`: `took` or
 *   `recognised` when it took the line and wants the next one too (until the count runs out),
 *   `done` when it is done and did not take the line: that line is then treated as any other
 *   line (it may be a candidate itself).
 * - A line that a recogniser answered with `recognised` is part of a failure it reports (also a
 *   repeat it keeps once): the `[ERROR]` lines gathered for warnings leave such lines out, so a
 *   recognised line never also raises a warning.
 * - `finish()` is called once, when the log has ended, and returns what was found, in log order.
 *
 * State is bounded: a recogniser keeps at most MAX_FINDINGS findings per log, messages of at most
 * MAX_MESSAGE_LINES lines (one more while a message is read: `addMessageLine`) and
 * MAX_MESSAGE_CHARS characters, and nothing that grows with the log.
 */

import { cutCodeUnits } from '../../text-cut.js'

/** Where a tool says a failure is, as it printed it: not yet a file of the repository. */
export interface ReportedPlace {
  /**
   * The path as printed: absolute, masked (`***` then `/src/…`), relative, a `file://` URI or a Windows
   * path. For a JVM stack frame, the class's package as folders and the frame's file name
   * (`com/example/OrderTest.java`).
   */
  path: string
  /** 1-based, when the tool gives one. */
  line?: number
  /** 1-based, only when the tool gives one. */
  column?: number
}

/** What a finding of either kind holds: the tool's message, and its place when it gives one. */
interface Reported {
  message: string
  place?: ReportedPlace
}

/** A compile error or a failing test, as a tool printed it in a log. */
export type Finding =
  | ({ kind: 'compile-error' } & Reported)
  | ({
      kind: 'failed-test'
      /**
       * The test as its runner names it: JUnit `com.example.OrderTest.placesOrder`, Jest
       * `Suite › name`, a pytest node ID, go `TestX/sub`, cargo `mod::test`.
       */
      test: string
    } & Reported)

/** What a recogniser makes of a candidate line. */
export interface Take {
  /** Whether the line is part of a failure the recogniser reports. */
  recognised: boolean
  /** How many lines after it to hand over: 0 to `maxFollowing`. */
  following: number
}

/** What a recogniser made of a line after a candidate. */
export type Followed = 'took' | 'recognised' | 'done'

/** One log's recogniser state, made by `Recogniser.start()`. */
export interface RecogniserState {
  /** A line holding a trigger; undefined when it is not one of the tool's lines. */
  candidate(line: string): Take | undefined
  /** The next line after a candidate (or after a line it took). */
  following(line: string): Followed
  /** What was found in the log, in log order, at most MAX_FINDINGS. */
  finish(): Finding[]
}

/** A recogniser of one tool's output (or a family of tools that print alike). */
export interface Recogniser {
  /** For tests and the debug log: `maven-compiler`, `jest`, … */
  readonly name: string
  /**
   * Text that makes a line a candidate for this recogniser wherever it stands in the line
   * (ASCII or UTF-8, at least two bytes). The rarer the better: each one is looked for in every
   * byte of every log.
   */
  readonly triggers: readonly string[]
  /** The most following lines `candidate` may ask for. */
  readonly maxFollowing: number
  start(): RecogniserState
}

/** Findings one recogniser keeps per log. */
export const MAX_FINDINGS = 100
/** Lines of a finding's message. */
export const MAX_MESSAGE_LINES = 10
/** Characters of a finding's message. */
export const MAX_MESSAGE_CHARS = 1000
/** A line handed to a recogniser is cut to this many characters before it is matched. */
export const MAX_TOOL_LINE_CHARS = 500

// ANSI escape sequences: CSI (colours, cursor), OSC (hyperlinks, titles), character-set
// designations (`ESC ( B`, which terminfo's sgr0 prints) and lone escapes.
const ANSI =
  // eslint-disable-next-line no-control-regex
  /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[ -/]+[0-~]|\u001b[@-_]/g
// CodeArts' prefix: a time in brackets (`[2026/09/10 19:09:20.236 GMT+08:00] ` or
// `[Sep 14, 2026 02:29:37.820 GMT+08:00] `), then optionally its level and action tag
// (`[ERROR] [step:substep] : `). A tool's own `[ERROR] ` (Maven's) has no ` [tag] : ` after it,
// so it stays.
const CODEARTS_PREFIX = /^\[[A-Za-z0-9 ,/:.+-]{8,40}\] (?:\[[A-Z]{3,7}\] \[[^\]\n]{0,200}\] ?: ?)?/

/**
 * The text a tool printed on a log line: CodeArts' prefix and ANSI codes removed, the line's
 * end (`\r`) dropped, cut to MAX_TOOL_LINE_CHARS characters. Pure, and linear in the line's
 * length.
 */
export function toolLine(raw: string): string {
  const cut = raw.length > 4 * MAX_TOOL_LINE_CHARS ? raw.slice(0, 4 * MAX_TOOL_LINE_CHARS) : raw
  const plain = cut.includes('\u001b') ? cut.replace(ANSI, '') : cut
  const text = plain.replace(CODEARTS_PREFIX, '').replace(/\r$/, '')
  return text.length > MAX_TOOL_LINE_CHARS ? text.slice(0, MAX_TOOL_LINE_CHARS) : text
}

/** A finding's message from its lines: blank edges dropped, at most the lines and characters allowed. */
export function findingMessage(lines: readonly string[]): string {
  const trimmed = lines.map(line => line.trimEnd())
  const first = trimmed.findIndex(line => line !== '')
  // Cut to the lines kept first, then drop the blank ones it leaves at the end.
  const kept = first === -1 ? [] : trimmed.slice(first, first + MAX_MESSAGE_LINES)
  while (kept.length > 0 && kept[kept.length - 1] === '') kept.pop()
  const text = kept.join('\n')
  return cutCodeUnits(text, MAX_MESSAGE_CHARS)
}
