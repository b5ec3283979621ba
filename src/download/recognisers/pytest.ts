import { MAX_FINDINGS } from './recogniser.js'
import type { Followed, Recogniser, RecogniserState, ReportedPlace, Take } from './recogniser.js'
import { addMessageLine, dedent } from './finding-draft.js'
import { FindingList } from './finding-list.js'

/**
 * Failing tests as pytest prints them. Under `= FAILURES =` (and `= ERRORS =`) a section per
 * test, headed by its name between underscores, with the traceback: the source of each frame,
 * the exception's `E` lines, and each frame's `path:line: …` (`tests/test_order.py:10:
 * AssertionError`; with `--tb=short`, `tests/test_order.py:10: in test_total`). At the end the
 * short summary names each test by its node ID: `FAILED tests/test_order.py::TestPlace::test_x -
 * ValueError: an ord...` (`ERROR …` for an error in a fixture).
 *
 * A test is named by its node ID; its message is the last group of `E` lines of its section (the
 * exception that failed it: pytest shows the chained ones first), else the summary's message
 * (which pytest cuts to the terminal's width); its place is the last frame in the test's file.
 * A section is matched to its summary line by name (`TestPlace.test_x` is `TestPlace::test_x`)
 * and file (the first frame's: the traceback starts in the test); a section with no summary line
 * is named from that file, a summary line with no section is kept alone. `ERROR collecting path` names the module's node ID, its path.
 */
const FAILURES_HEADER = /^=+ (?:FAILURES|ERRORS) =+$/
const SECTION = /^_{3,} (.+?) _{3,}$/
const SETUP = /^ERROR at (?:setup|teardown) of (.+)$/
const COLLECTING = /^ERROR collecting (.+)$/
const LOCATION = /^(\S.*?\.py):(\d+):(?: |$)/
const SUMMARY = /^(?:FAILED|ERROR) (\S.*?\.py(?:::\S.*?)?)(?: - (.*))?$/
const SECTION_END = /^(?:={3,}|-{3,} )/
/** Lines after a section's header or a frame's line, before the next frame's line re-arms it. */
const MAX_SECTION_LINES = 300

interface Section {
  /** The name as the header gives it (`TestPlace.test_x`), or the node ID of a collection error. */
  name: string
  nodeId?: string
  /** The module a collection error names, else the first frame's file. */
  testFile?: string
  /** The last frame in `testFile`, and the last frame. */
  lastInTestFile?: ReportedPlace
  lastFrame?: ReportedPlace
  /** The last group of `E` lines, and whether the line before was one of them. */
  errorLines: string[]
  inErrorLines: boolean
  /** The summary line matched to it. */
  summary?: { nodeId: string; message: string }
}

/** A node ID's file and the name its section's header shows (`TestPlace.test_x[a.b]`). */
function nodeParts(nodeId: string): { file: string; name: string } {
  const parts = nodeId.split('::')
  return { file: parts[0], name: parts.slice(1).join('.') }
}

class PytestState implements RecogniserState {
  private readonly sections: Section[] = []
  private readonly summaries: { nodeId: string; message: string }[] = []
  private inFailures = false
  private open?: Section

  candidate(line: string): Take | undefined {
    if (FAILURES_HEADER.test(line)) {
      this.inFailures = true
      return { recognised: false, following: 0 }
    }
    const summary = SUMMARY.exec(line)
    if (summary) {
      this.open = undefined
      if (this.summaries.length < MAX_FINDINGS)
        this.summaries.push({ nodeId: summary[1], message: summary[2] ?? '' })
      return { recognised: true, following: 0 }
    }
    const header = this.inFailures ? SECTION.exec(line) : null
    if (header) {
      this.open = this.section(header[1])
      return { recognised: true, following: MAX_SECTION_LINES }
    }
    if (this.open && LOCATION.test(line)) {
      this.followSection(line)
      return { recognised: true, following: MAX_SECTION_LINES }
    }
    return undefined
  }

  following(line: string): Followed {
    if (!this.open || SECTION_END.test(line) || SECTION.test(line)) {
      this.open = undefined
      if (/^={3,}/.test(line)) this.inFailures = FAILURES_HEADER.test(line)
      return 'done'
    }
    this.followSection(line)
    return 'recognised'
  }

  finish() {
    this.matchSummaries()
    const found = new FindingList()
    for (const section of this.sections) {
      const nodeId = section.summary?.nodeId ?? section.nodeId ?? this.guessedNodeId(section)
      const file = nodeParts(nodeId).file
      const place = file === section.testFile ? section.lastInTestFile : section.lastFrame
      const draft = { lines: dedent(section.errorLines), place }
      found.addTest(nodeId, draft, section.summary?.message ?? '')
    }
    for (const summary of this.summaries) {
      found.add({ kind: 'failed-test', test: summary.nodeId, message: summary.message })
    }
    return found.list()
  }

  /** A new section for a header, or none when MAX_FINDINGS are open already. */
  private section(title: string): Section | undefined {
    if (this.sections.length >= MAX_FINDINGS) return undefined
    const collecting = COLLECTING.exec(title)
    const section: Section = {
      name: SETUP.exec(title)?.[1] ?? title,
      nodeId: collecting?.[1],
      testFile: collecting?.[1],
      errorLines: [],
      inErrorLines: false
    }
    this.sections.push(section)
    return section
  }

  private followSection(line: string): void {
    const section = this.open as Section
    const isError = /^E(?:\s|$)/.test(line)
    if (isError) {
      if (!section.inErrorLines) section.errorLines = []
      addMessageLine(section.errorLines, line.slice(1))
    }
    section.inErrorLines = isError
    const location = LOCATION.exec(line)
    if (!location) return
    const place = { path: location[1], line: Number(location[2]) }
    section.testFile ??= place.path
    section.lastFrame = place
    if (place.path === section.testFile) section.lastInTestFile = place
  }

  /** The node ID of a section with no summary line: its first frame's file and its name. */
  private guessedNodeId(section: Section): string {
    const bracket = section.name.indexOf('[')
    const path = bracket < 0 ? section.name : section.name.slice(0, bracket)
    const name = path.replace(/\./g, '::') + (bracket < 0 ? '' : section.name.slice(bracket))
    return section.testFile === undefined ? name : `${section.testFile}::${name}`
  }

  /** Matches each summary line to the first unmatched section of its name and file. */
  private matchSummaries(): void {
    for (const summary of this.summaries) {
      const { file, name } = nodeParts(summary.nodeId)
      const section =
        this.sections.find(s => !s.summary && s.name === name && s.testFile === file) ??
        this.sections.find(s => !s.summary && s.name === name)
      if (section) section.summary = summary
    }
  }
}

export const pytestRecogniser: Recogniser = {
  name: 'pytest',
  triggers: ['= FAILURES =', '= ERRORS =', '__ ', '.py:', '.py\u001b[0m:'],
  maxFollowing: MAX_SECTION_LINES,
  start: () => new PytestState()
}
