import { addMessageLine, type Draft } from './finding-draft.js'
import { FindingList } from './finding-list.js'
import { placeAtEnd } from './native-place.js'
import type { Followed, Recogniser, RecogniserState, Take } from './recogniser.js'

// A test's captured output up to its panic, usually; a panic further down is a candidate itself.
const MAX_FOLLOWING = 40

// `---- total::tests::adds_shipping stdout ----`: the captured output of one test.
const OUTPUT = /^---- (.+) stdout ----$/
// `thread 'name' panicked at src/total.rs:13:9:` (Rust 1.73 and later; 1.9x adds ` (id)` after
// the name), or `thread 'name' panicked at 'message', src/total.rs:13:9` before.
const PANIC = /^thread '([^']*)'(?: \(\d+\))? panicked at (.*)$/
// A `#[should_panic]` test that did not: `note: test did not panic as expected at src/lib.rs:31:8`.
const NO_PANIC = /^note: (test did not panic as expected)(?: at (.*))?$/
// Where libtest's panic message ends.
const MESSAGE_END = /^(?:note: run with `RUST_BACKTRACE=|stack backtrace:$)/

interface Panic extends Draft {
  thread: string
  /** Before Rust 1.73 the message is quoted, and the place follows its closing quote. */
  quoted: boolean
  /** Whether the lines after it are still its message. */
  open: boolean
}

/** A test's captured output; its panic's message and place, when it panicked. */
interface TestOutput extends Draft {
  name: string
  panic?: Panic
}

class CargoTestState implements RecogniserState {
  private readonly found = new FindingList()
  /** The test whose captured output the lines are, in a `failures:` section. */
  private output?: TestOutput
  private section?: 'failures' | 'successes'
  /** In the `failures:` list of names at a section's end. */
  private listing = false

  candidate(line: string): Take | undefined {
    const panic = PANIC.exec(line)
    if (panic) return this.panic(panic[1], panic[2])
    this.close()
    if (line === 'failures:' || line === 'successes:') {
      this.section = line === 'failures:' ? 'failures' : 'successes'
      this.listing = true
      return { recognised: false, following: MAX_FOLLOWING }
    }
    const output = OUTPUT.exec(line)
    if (!output || this.section !== 'failures') return undefined
    this.output = { name: output[1], lines: [] }
    return { recognised: true, following: MAX_FOLLOWING }
  }

  following(line: string): Followed {
    if (OUTPUT.test(line) || PANIC.test(line) || line === 'failures:' || line === 'successes:') {
      return 'done'
    }
    if (this.listing) return this.listed(line)
    const output = this.output
    if (!output) return 'done'
    if (line.startsWith('test result: ')) {
      this.close()
      return 'done'
    }
    const panic = output.panic
    if (panic?.open) {
      this.panicLine(panic, line)
      return 'recognised'
    }
    const noPanic = NO_PANIC.exec(line)
    if (noPanic && !panic) {
      output.place = noPanic[2] === undefined ? undefined : placeAtEnd(noPanic[2], true)
      output.lines = [noPanic[1]]
    } else if (line.trim() !== '') {
      addMessageLine(output.lines, line)
    }
    return 'recognised'
  }

  finish() {
    this.close()
    return this.found.list()
  }

  /** A name in the list after a section: a repeat of a failure already reported. */
  private listed(line: string): Followed {
    if (line === '') return 'took'
    if (line.startsWith('    ') && this.found.hasTest(line.trim())) return 'recognised'
    this.listing = false
    return 'done'
  }

  private panic(thread: string, rest: string): Take | undefined {
    const output = this.output
    if (!output) return undefined
    // The test's own thread wins over one it spawned that panicked first.
    if (output.panic && (output.panic.thread === output.name || thread !== output.name)) {
      return { recognised: true, following: 0 }
    }
    const quoted = rest.startsWith("'")
    const panic: Panic = { thread, lines: [], quoted, open: true }
    if (quoted) this.panicLine(panic, rest.slice(1))
    else panic.place = placeAtEnd(rest.endsWith(':') ? rest.slice(0, -1) : rest, true)
    output.panic = panic
    return { recognised: true, following: MAX_FOLLOWING }
  }

  private panicLine(panic: Panic, line: string): void {
    if (panic.quoted) {
      const end = line.lastIndexOf("', ")
      const place = end >= 0 ? placeAtEnd(line.slice(end + 3), true) : undefined
      if (place) {
        panic.place = place
        panic.open = false
      }
      addMessageLine(panic.lines, place ? line.slice(0, end) : line)
      return
    }
    if (line === '' || MESSAGE_END.test(line)) panic.open = false
    else addMessageLine(panic.lines, line)
  }

  private close(): void {
    const output = this.output
    this.output = undefined
    this.listing = false
    if (output) this.found.addTest(output.name, output.panic ?? output, 'FAILED')
  }
}

/**
 * `cargo test`'s failing tests (libtest's output): each failure's captured output under
 * `---- mod::test stdout ----` in the `failures:` section, its message the panic's
 * (`thread 'mod::test' panicked at src/lib.rs:13:9:` and the lines under it) or else what the
 * test printed (`Error: …` of a test returning `Result`). The list of names that closes the
 * section repeats them and is recognised as such. Output under `successes:` (`--show-output`) is
 * not a failure, and `--nocapture` prints no sections, so nothing is reported then.
 */
export const cargoTestRecogniser: Recogniser = {
  name: 'cargo-test',
  triggers: [' stdout ----', 'panicked at ', 'failures:', 'successes:'],
  maxFollowing: MAX_FOLLOWING,
  start: () => new CargoTestState()
}
