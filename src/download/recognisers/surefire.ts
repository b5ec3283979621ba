import {
  MAX_FINDINGS,
  findingMessage,
  type Finding,
  type Recogniser,
  type ReportedPlace,
  type Take
} from './recogniser.js'
import { BlockState } from './failure-block.js'
import { addMessageLine } from './finding-draft.js'
import { MAVEN_LEVEL } from './maven-compiler.js'
import {
  TestFrameChooser,
  classFilePlace,
  frameInClass,
  framePlace,
  methodBaseName,
  outerClassName,
  parseJvmFrame,
  simpleClassName
} from './jvm-frames.js'

/**
 * Failing tests as Maven's Surefire and Failsafe plugins print them. A failing class, then each
 * failing test of it with its exception and stack:
 *
 *     [ERROR] Tests run: 2, Failures: 1, …, Time elapsed: 0.045 s <<< FAILURE! - in com.example.OrderTest
 *     [ERROR] totalsItsLines(com.example.OrderTest)  Time elapsed: 0.005 s  <<< FAILURE!
 *     java.lang.AssertionError: expected:<7.00> but was:<6.00>
 *     	at com.example.OrderTest.totalsItsLines(OrderTest.java:15)
 *
 * The test's line names it `method(Class)` (2.x with JUnit 4), `method` (2.x with JUnit 5: the
 * class is the failing class's), `Class.method  Time elapsed` (3.0) or `Class.method -- Time
 * elapsed` (3.1 and later, with ` -- in ` in the class's line). The message is the exception's
 * lines; the place is the first frame in the test's method, else in its class.
 *
 * Then the summary repeats each failure on one line (`Failures:` and `Errors:`, the class without
 * its package): `[ERROR]   OrderTest.totalsItsLines:15 expected:<7.00> but was:<6.00>`. A summary
 * line of a test already found is recognised and kept once; one of a test not found (its block
 * was cut) is kept from the summary. A test listed under `Flakes:` passed on a rerun and is not
 * a failure. CodeArts may give Maven's level as its own, so Maven's `[ERROR] ` is optional.
 */
const CLASS_RESULT = /^Tests run: \d+, .*<<< (?:FAILURE|ERROR)! -?- in (\S+)$/
const TEST_HEADER = /^(.+?)(?: {2}| -- )Time elapsed: [^<]*<<< (FAILURE|ERROR)!$/
const JUNIT4_NAME = /^(.+)\(([\w$.]+)\)$/
const RESULTS = /^Results ?:$/
const SUMMARY_SECTION = /^(Failures|Errors|Flakes): ?$/
const SUMMARY_ENTRY = /^ {2}(Run \d+: )?(\S+)(?: (?:» )?(.*))?$/
const SUMMARY_HEAD = /^([\w$]+)(?:>[\w$]+)?\.([\w$]+)(?::(\d+))?$/
const RERUN_NAME = /^[\w$]+(?:\.[\w$]+)+\S*$/
const TOTALS = /^Tests run: \d+, Failures: \d+/
const STACK_LINE =
  /^\s+(?:at |\.\.\. \d+ (?:more|common frames omitted))|^\s*(?:Caused by|Suppressed): /
/** Lines after a test's line: its exception and stack (Surefire 3 does not trim stacks). */
const MAX_TEST_LINES = 200
/** Lines after `Results:`: the summary's entries and their continuation lines. */
const MAX_SUMMARY_LINES = 500

/**
 * A test's class and method, from its line and the failing class it is in: `Class.method` (3.x,
 * and TestNG's tests in a `TestSuite`), `method(Class)` (2.x, JUnit 4), else a method of the
 * failing class (2.x, JUnit 5).
 */
function testOf(
  printed: string,
  failingClass: string | undefined
): { cls?: string; method: string } {
  if (failingClass && printed.startsWith(`${failingClass}.`)) {
    return { cls: failingClass, method: printed.slice(failingClass.length + 1) }
  }
  const junit4 = JUNIT4_NAME.exec(printed)
  if (junit4 && (!failingClass || outerClassName(junit4[2]) === outerClassName(failingClass))) {
    return { cls: junit4[2], method: junit4[1] }
  }
  const end = printed.search(/[([{]/)
  const dot = printed.lastIndexOf('.', end < 0 ? printed.length : end)
  const cls = printed.slice(0, Math.max(dot, 0))
  if (/^[\w$]+(?:\.[\w$]+)+$/.test(cls)) return { cls, method: printed.slice(dot + 1) }
  return failingClass ? { cls: failingClass, method: printed } : { method: printed }
}

interface OpenTest {
  kind: 'test'
  cls?: string
  method: string
  outcome: string
  message: string[]
  inStack: boolean
  frames?: TestFrameChooser
}

interface Summary {
  kind: 'summary'
  /** `Failures`, `Errors` or `Flakes`: the section the lines are in. */
  section?: string
  /** A rerun test's full name, above its `Run N:` lines. */
  rerunName?: string
  /** Whether the totals line (`Tests run: …`), the summary's last, was read. */
  ended: boolean
}

/** A test found in the detailed output, for matching the summary's lines against. */
interface FoundTest {
  name: string
  simpleClass: string
  method: string
}

class SurefireState extends BlockState<OpenTest | Summary> {
  private readonly tests: FoundTest[] = []
  /** Failing classes by simple name, to name a test the summary alone lists. */
  private readonly failingClasses = new Map<string, string>()
  private readonly flakes = new Set<string>()
  private failingClass?: string

  protected open(line: string): { take: Take; block?: OpenTest | Summary } | undefined {
    const text = line.replace(MAVEN_LEVEL, '')
    const classResult = CLASS_RESULT.exec(text)
    if (classResult) {
      this.failingClass = classResult[1]
      if (this.failingClasses.size < MAX_FINDINGS)
        this.failingClasses.set(simpleClassName(classResult[1]), classResult[1])
      return { take: { recognised: true, following: 0 } }
    }
    const header = TEST_HEADER.exec(text)
    if (header) {
      const { cls, method } = testOf(header[1], this.failingClass)
      const frames =
        cls === undefined
          ? undefined
          : new TestFrameChooser(frame => frameInClass(frame, cls), method)
      const block: OpenTest = {
        kind: 'test',
        cls,
        method,
        outcome: header[2],
        message: [],
        inStack: false,
        frames
      }
      return { take: { recognised: true, following: MAX_TEST_LINES }, block }
    }
    if (!RESULTS.test(text)) return undefined
    const summary: Summary = { kind: 'summary', ended: false }
    return { take: { recognised: false, following: MAX_SUMMARY_LINES }, block: summary }
  }

  protected extend(block: OpenTest | Summary, line: string): 'took' | 'recognised' | undefined {
    return block.kind === 'test'
      ? this.extendTest(block, line)
      : this.extendSummary(block, line.replace(MAVEN_LEVEL, ''))
  }

  protected close(block: OpenTest | Summary): void {
    if (block.kind === 'summary') return
    const frame = block.frames?.chosen()
    // A test of a nested class (JUnit 5's @Nested) is named by the class its frame runs in.
    const cls =
      frame &&
      frame.className.startsWith(`${block.cls}$`) &&
      frame.method === methodBaseName(block.method)
        ? frame.className
        : block.cls
    const name = cls === undefined ? block.method : `${cls}.${block.method}`
    const message = findingMessage(block.message) || block.outcome
    const place = frame ? framePlace(frame) : undefined
    this.addTest(
      { name, simpleClass: simpleClassName(cls ?? ''), method: block.method },
      message,
      place
    )
  }

  protected findings(): Finding[] {
    return super
      .findings()
      .filter(finding => finding.kind !== 'failed-test' || !this.flakes.has(finding.test))
  }

  private extendTest(test: OpenTest, line: string): 'recognised' | undefined {
    const frame = parseJvmFrame(line)
    if (frame || STACK_LINE.test(line)) {
      test.inStack = true
      if (frame) test.frames?.offer(frame)
      return 'recognised'
    }
    const text = line.replace(MAVEN_LEVEL, '')
    const ends =
      test.inStack ||
      line !== text ||
      TEST_HEADER.test(text) ||
      CLASS_RESULT.test(text) ||
      /^(?:Running \S+|Results ?:)$/.test(text)
    if (ends) return undefined
    addMessageLine(test.message, line)
    return 'recognised'
  }

  private extendSummary(summary: Summary, text: string): 'took' | 'recognised' | undefined {
    if (summary.ended || /^(?:BUILD |-{5,})/.test(text)) return undefined
    if (TOTALS.test(text)) {
      summary.ended = true
      return summary.section ? 'recognised' : 'took'
    }
    const section = SUMMARY_SECTION.exec(text)
    if (section) {
      summary.section = section[1]
      return 'recognised'
    }
    if (!summary.section) return 'took'
    if (RERUN_NAME.test(text)) {
      summary.rerunName = text
      if (summary.section === 'Flakes' && this.flakes.size < MAX_FINDINGS) this.flakes.add(text)
      return 'recognised'
    }
    const entry = SUMMARY_ENTRY.exec(text)
    if (!entry) return 'took'
    const [, run, head, message] = entry
    if (!run) summary.rerunName = undefined
    if (head === 'PASS' && !message) return 'took'
    if (summary.section !== 'Flakes') this.summaryEntry(head, message ?? '', summary.rerunName)
    return 'recognised'
  }

  /** A summary line: a test already found, or one only the summary names. */
  private summaryEntry(head: string, message: string, rerunName: string | undefined): void {
    const parsed = SUMMARY_HEAD.exec(head.split('->')[0])
    if (!parsed) return
    const [, simpleClass, method, row] = parsed
    const outer = outerClassName(simpleClass)
    const known = this.tests.some(
      test => outerClassName(test.simpleClass) === outer && methodBaseName(test.method) === method
    )
    if (known) return
    const failingClass = this.failingClasses.get(outer)
    const cls =
      rerunName?.slice(0, rerunName.lastIndexOf('.')) ??
      (failingClass ? failingClass + simpleClass.slice(outer.length) : simpleClass)
    const place = row === undefined ? undefined : classFilePlace(cls, `${outer}.java`, Number(row))
    this.addTest({ name: rerunName ?? `${cls}.${method}`, simpleClass, method }, message, place)
  }

  private addTest(test: FoundTest, message: string, place: ReportedPlace | undefined): void {
    if (this.found.hasTest(test.name)) return
    this.found.add({ kind: 'failed-test', test: test.name, message, place })
    if (this.tests.length < MAX_FINDINGS) this.tests.push(test)
  }
}

export const surefireRecogniser: Recogniser = {
  name: 'surefire',
  triggers: ['<<< FAILURE!', '<<< ERROR!', 'Results:', 'Results :'],
  maxFollowing: MAX_SUMMARY_LINES,
  start: () => new SurefireState()
}
