import { findingMessage, MAX_FINDINGS, type Finding } from './recogniser.js'
import type { Draft } from './finding-draft.js'

/**
 * The findings of one log in log order, each once: tools repeat themselves (Maven prints each
 * compile error twice, Jest, pytest and cargo list failures again in a summary, MSBuild repeats
 * its errors after `Build FAILED.`), so a test is kept once per name (and file, for a runner that
 * names a test within its file) and a compile error once per place and message. The key is
 * derived from the finding. Holds at most MAX_FINDINGS, and their keys.
 */
export class FindingList {
  private readonly kept: Finding[] = []
  private readonly keys = new Set<string>()

  /** Keeps `finding` unless it repeats one kept or the list is full; `file` as for `addTest`. */
  add(finding: Finding, file?: string): void {
    if (this.kept.length >= MAX_FINDINGS) return
    const key = keyOf(finding, file)
    if (this.keys.has(key)) return
    this.keys.add(key)
    this.kept.push(finding)
  }

  addError(draft: Draft): void {
    this.add({ kind: 'compile-error', message: findingMessage(draft.lines), place: draft.place })
  }

  /**
   * A failed test; `silent` is its message when the draft's lines hold none (the runner's
   * verdict, or what its summary line says). `file` is the test's file when its runner names
   * tests within their file (Jest, Vitest): tests of one name in two files are two findings.
   */
  addTest(test: string, draft: Draft, silent: string, file?: string): void {
    const message = findingMessage(draft.lines) || silent
    this.add({ kind: 'failed-test', test, message, place: draft.place }, file)
  }

  /** Whether a failing test of this name (kept without a file) was kept. */
  hasTest(name: string): boolean {
    return this.keys.has(testKey(name, undefined))
  }

  get size(): number {
    return this.kept.length
  }

  list(): Finding[] {
    return [...this.kept]
  }
}

function testKey(name: string, file: string | undefined): string {
  return file === undefined ? `test\u0000${name}` : `test\u0000${name}\u0000${file}`
}

function keyOf(finding: Finding, file: string | undefined): string {
  if (finding.kind === 'failed-test') return testKey(finding.test, file)
  const place = finding.place
  return ['compile', place?.path, place?.line, place?.column, finding.message].join('\u0000')
}
