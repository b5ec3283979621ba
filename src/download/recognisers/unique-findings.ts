import { MAX_FINDINGS, findingMessage, type Finding, type ReportedPlace } from './recogniser.js'

/**
 * The findings of one log, each kept once under a key (a test's name, a compile error's place and
 * message): tools repeat themselves (Maven prints each compile error twice, Jest and pytest list
 * failures again in a summary). At most MAX_FINDINGS are kept, so the keys are bounded too.
 */
export class UniqueFindings {
  private readonly findings: Finding[] = []
  private readonly keys = new Set<string>()

  /** Whether a finding is kept under the key. */
  has(key: string): boolean {
    return this.keys.has(key)
  }

  /** Keeps the finding unless one is kept under the key or the list is full. */
  add(key: string, finding: Finding): void {
    if (this.keys.has(key) || this.findings.length >= MAX_FINDINGS) return
    this.keys.add(key)
    this.findings.push(finding)
  }

  /** The kept findings in the order they were added, less those `dropped` says to drop. */
  list(dropped: (finding: Finding) => boolean = () => false): Finding[] {
    return this.findings.filter(finding => !dropped(finding))
  }
}

/** A failing test's finding, with its place when there is one. */
export function failedTest(test: string, message: string, place?: ReportedPlace): Finding {
  return place
    ? { kind: 'failed-test', test, message, place }
    : { kind: 'failed-test', test, message }
}

/** The compile errors of one log: one per place and message. */
export class CompileErrors {
  private readonly found = new UniqueFindings()

  /** Keeps the error of the message `lines` at `place`, unless it is kept already. */
  add(lines: readonly string[], place?: ReportedPlace): void {
    const message = findingMessage(lines)
    const key = [place?.path, place?.line, place?.column, message].join('\u0000')
    this.found.add(
      key,
      place ? { kind: 'compile-error', message, place } : { kind: 'compile-error', message }
    )
  }

  list(): Finding[] {
    return this.found.list()
  }
}

/**
 * Lines with their common leading whitespace removed (blank lines do not count), so a message
 * that a tool indents under its header reads as the tool's message.
 */
export function dedent(lines: readonly string[]): string[] {
  let indent = Infinity
  for (const line of lines) {
    if (line.trim() === '') continue
    indent = Math.min(indent, line.length - line.trimStart().length)
  }
  return indent === Infinity || indent === 0 ? [...lines] : lines.map(line => line.slice(indent))
}
