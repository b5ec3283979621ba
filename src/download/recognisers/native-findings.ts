import {
  findingMessage,
  MAX_FINDINGS,
  MAX_MESSAGE_LINES,
  type Finding,
  type ReportedPlace
} from './recogniser.js'

/** A failure whose message lines are still being read. */
export interface Draft {
  lines: string[]
  place?: ReportedPlace
}

/** Adds a line to a draft's message, up to MAX_MESSAGE_LINES. */
export function addLine(draft: Draft, line: string): void {
  if (draft.lines.length < MAX_MESSAGE_LINES) draft.lines.push(line)
}

/**
 * The findings of one log in log order, each once: tools repeat themselves (cargo's `failures:`
 * list, MSBuild's summary after `Build FAILED.`), so a test is kept once per name and a compile
 * error once per place and message. Holds at most MAX_FINDINGS, and their keys.
 */
export class FindingList {
  private readonly kept: Finding[] = []
  private readonly keys = new Set<string>()

  /** Keeps `finding` unless it repeats one kept or the list is full. */
  add(finding: Finding): void {
    if (this.kept.length >= MAX_FINDINGS) return
    const key = keyOf(finding)
    if (this.keys.has(key)) return
    this.keys.add(key)
    this.kept.push(finding)
  }

  addError(draft: Draft): void {
    this.add({ kind: 'compile-error', message: findingMessage(draft.lines), place: draft.place })
  }

  /** A failed test; `silent` is its message when it printed none (the runner's verdict). */
  addTest(test: string, draft: Draft, silent: string): void {
    const message = findingMessage(draft.lines) || silent
    this.add({ kind: 'failed-test', test, message, place: draft.place })
  }

  /** Whether a failing test of this name was kept. */
  hasTest(name: string): boolean {
    return this.keys.has(testKey(name))
  }

  get size(): number {
    return this.kept.length
  }

  list(): Finding[] {
    return [...this.kept]
  }
}

function testKey(name: string): string {
  return `test\u0000${name}`
}

function keyOf(finding: Finding): string {
  if (finding.kind === 'failed-test') return testKey(finding.test)
  const place = finding.place
  return ['compile', place?.path, place?.line, place?.column, finding.message].join('\u0000')
}
