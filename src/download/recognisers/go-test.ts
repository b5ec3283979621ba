import { addMessageLine, type Draft } from './finding-draft.js'
import { FindingList } from './finding-list.js'
import { placeAtEnd } from './native-place.js'
import { findingMessage, MAX_FINDINGS } from './recogniser.js'
import type {
  Finding,
  Followed,
  Recogniser,
  RecogniserState,
  ReportedPlace,
  Take
} from './recogniser.js'

// A window long enough for a test's messages or the top of a panic's goroutine trace; lines
// past it that matter hold a trigger (`_test.go:`, `--- FAIL: `).
const MAX_FOLLOWING = 40
// Tests of `go test -v` whose messages are held for a `--- FAIL` line to come; `--- PASS` lines
// are not seen, so past this many the oldest are dropped.
const MAX_RUNNING_TESTS = 64

// `--- FAIL: TestTotal (0.00s)`, indented by four spaces a level for a subtest.
const FAILED = /^( *)--- FAIL: (\S+) \(\d+(?:\.\d+)?s\)$/
// `-v` announces whose output follows: `=== RUN   TestX`, `=== CONT  TestX`, `=== NAME  TestX`.
const RUNNING = /^=== (RUN|CONT|NAME) +(\S+)$/
// `FAIL\texample.com/shop/pkg/cart\t0.012s`: the package whose results were printed above.
const PACKAGE_FAILED = /^FAIL\t([^\t ]+)(?:\t|$)/
const PANIC = /^panic: /
// A goroutine trace's frame in a test file: `\t/src/pkg/cart/cart_test.go:32 +0x1b`.
const TEST_FRAME = /^\t(\S.*_test\.go:\d+)(?: \+0x[0-9a-f]+)?$/

interface Message {
  indent: number
  place: ReportedPlace
  text: string
}

function indentOf(line: string): number {
  let indent = 0
  while (line.charCodeAt(indent) === 0x20) indent++
  return indent
}

/** `    cart_test.go:7: message`: a line that `t.Error`, `t.Log` and the like print. */
function testMessage(line: string): Message | undefined {
  const indent = indentOf(line)
  if (indent < 4) return undefined
  const rest = line.slice(indent)
  const end = rest.indexOf(': ')
  const head = end >= 0 ? rest.slice(0, end) : rest.endsWith(':') ? rest.slice(0, -1) : ''
  if (head.includes(' ')) return undefined
  const place = placeAtEnd(head, false)
  if (!place || !place.path.endsWith('.go')) return undefined
  return { indent, place, text: end >= 0 ? rest.slice(end + 2) : '' }
}

/**
 * A failed test. Its place is that of its last message, which is most often the failing check
 * (`t.Fatal` ends the test; `t.Log` tends to come before a check).
 */
interface Failure extends Draft {
  name: string
  indent: number
  failedSubtest: boolean
  /** Where a panic left the test's code: its first frame in a test file. */
  panicPlace?: ReportedPlace
}

class GoTestState implements RecogniserState {
  private readonly found = new FindingList()
  /** The `--- FAIL` lines of one top-level test, in log order. */
  private block: Failure[] = []
  /** Failures whose package (`FAIL\tpkg`) is still to come. */
  private unpackaged: Finding[] = []
  /** Under `-v`: the test whose output comes now, and what running tests printed. */
  private running?: string
  private readonly printed = new Map<string, Draft>()
  /** Where the indented lines under a message go, and whether they are a failure's. */
  private continued?: { output: Draft; indent: number; failure: boolean }
  private panicking = false

  candidate(line: string): Take | undefined {
    const taken = this.take(line)
    return taken && { recognised: taken === 'recognised', following: MAX_FOLLOWING }
  }

  following(line: string): Followed {
    return this.take(line) ?? 'done'
  }

  finish() {
    this.closeBlock()
    for (const finding of this.unpackaged) this.found.add(finding)
    this.unpackaged = []
    return this.found.list()
  }

  /** One line, as a candidate or after one; undefined leaves it (and the state) alone. */
  private take(line: string): 'recognised' | 'took' | undefined {
    const failed = FAILED.exec(line)
    if (failed) {
      this.fail(failed[1].length, failed[2])
      return 'recognised'
    }
    const running = RUNNING.exec(line)
    if (running) {
      this.closeBlock()
      this.run(running[2], running[1] === 'RUN')
      return 'took'
    }
    const packageFailed = PACKAGE_FAILED.exec(line)
    if (packageFailed) return this.closePackage(packageFailed[1])
    const continued = this.continued
    if (continued && line.trim() !== '' && indentOf(line) >= continued.indent + 4) {
      addMessageLine(continued.output.lines, line.slice(continued.indent + 4))
      return continued.failure ? 'recognised' : 'took'
    }
    const message = testMessage(line)
    if (message) return this.print(message)
    this.continued = undefined
    const last = this.block[this.block.length - 1]
    if (last && !this.panicking && PANIC.test(line)) {
      addMessageLine(last.lines, line.replace(/ \[recovered\]$/, ''))
      this.panicking = true
      return 'recognised'
    }
    if (last && this.panicking) return this.trace(last, line)
    return undefined
  }

  private fail(indent: number, name: string): void {
    if (indent === 0) this.closeBlock()
    this.continued = undefined
    this.panicking = false
    for (let i = this.block.length - 1; i >= 0; i--) {
      if (this.block[i].indent < indent) {
        this.block[i].failedSubtest = true
        break
      }
    }
    const printed = this.printed.get(name)
    this.printed.delete(name)
    if (this.block.length < MAX_FINDINGS) {
      this.block.push({ name, indent, failedSubtest: false, lines: [], ...printed })
    }
  }

  private run(name: string, starts: boolean): void {
    this.running = name
    this.continued = undefined
    this.panicking = false
    if (starts) this.printed.delete(name)
    if (this.printed.has(name)) return
    if (this.printed.size >= MAX_RUNNING_TESTS) {
      this.printed.delete(this.printed.keys().next().value as string)
    }
    this.printed.set(name, { lines: [] })
  }

  /** A message line: a failure's when it sits under one, else the running test's under `-v`. */
  private print(message: Message): 'recognised' | 'took' | undefined {
    let owner: Draft | undefined
    for (let i = this.block.length - 1; i >= 0 && !owner; i--) {
      if (this.block[i].indent === message.indent - 4) owner = this.block[i]
    }
    const failure = owner !== undefined
    if (!owner && message.indent === 4 && this.running) owner = this.printed.get(this.running)
    if (!owner) return undefined
    owner.place = message.place
    addMessageLine(owner.lines, message.text)
    this.continued = { output: owner, indent: message.indent, failure }
    return failure ? 'recognised' : 'took'
  }

  /** A line of the panic's goroutine trace: its first frame in a test file gives the place. */
  private trace(failure: Failure, line: string): 'recognised' | undefined {
    if (/^(?:FAIL|ok |--- |=== )/.test(line)) {
      this.panicking = false
      return undefined
    }
    const frame = TEST_FRAME.exec(line)
    if (frame) failure.panicPlace ??= placeAtEnd(frame[1], false)
    return 'recognised'
  }

  /** A failure is reported unless it only failed through its subtests, which are. */
  private closeBlock(): void {
    for (const failure of this.block) {
      if (failure.lines.length === 0 && failure.failedSubtest) continue
      if (this.unpackaged.length >= MAX_FINDINGS) break
      this.unpackaged.push({
        kind: 'failed-test',
        test: failure.name,
        message: findingMessage(failure.lines) || 'FAIL',
        place: failure.panicPlace ?? failure.place
      })
    }
    this.block = []
    this.continued = undefined
    this.panicking = false
  }

  /**
   * `FAIL\tpkg`: the failures above are the package's. go test names a message's file without
   * its folder, so the package's import path is put before it (`example.com/shop/pkg/cart/
   * cart_test.go`): its last segments are the folder, which tells apart a repository's many
   * `handler_test.go`.
   */
  private closePackage(importPath: string): 'recognised' | undefined {
    this.closeBlock()
    this.running = undefined
    const reported = this.unpackaged.length > 0
    for (const finding of this.unpackaged) {
      const place = finding.place
      if (place && !/[/\\]/.test(place.path)) place.path = `${importPath}/${place.path}`
      this.found.add(finding)
    }
    this.unpackaged = []
    return reported ? 'recognised' : undefined
  }
}

/**
 * `go test`'s failing tests: `--- FAIL: TestX (0.00s)` (`TestX/sub` for a subtest, indented),
 * with the `file_test.go:line: message` lines under it, or under `-v` before it (after
 * `=== RUN TestX`), or a panic and its goroutine trace. A test that failed only through its
 * subtests is not reported itself.
 */
export const goTestRecogniser: Recogniser = {
  name: 'go-test',
  triggers: ['--- FAIL: ', '=== RUN ', '=== CONT ', '=== NAME ', '_test.go:', 'FAIL\t'],
  maxFollowing: MAX_FOLLOWING,
  start: () => new GoTestState()
}
