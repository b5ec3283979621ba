import { BlockState } from './failure-block.js'
import { addMessageLine, type Draft } from './finding-draft.js'
import { placeAtEnd } from './native-place.js'
import type { Recogniser, ReportedPlace, Take } from './recogniser.js'

// Enough for an error's excerpt and a dozen notes (a C++ overload error lists its candidates).
const MAX_FOLLOWING = 40

// Earliest first: the severity of a diagnostic is the first of these on its line.
const SEVERITIES = [': error: ', ': fatal error: ', ': warning: ', ': note: ']
// gcc's excerpt of the source: `   10 |     return sum + x;` and `      |                  ^~~`.
const GUTTER = /^ *\d* \|/
// clang's caret line under its excerpt: `                 ^~~~~`.
const CARET = /^[ \t~^]+$/
// What gcc prints around diagnostics, about the next one or the file: no part of a message.
const CONTEXT =
  /^In file included from |^ +from \S|^In instantiation of |: In (?:member |static member |lambda )?(?:function|constructor|destructor|instantiation of|substitution of) |: At (?:global|top level) scope:$|:\d+:\d+: +(?:required|recursively required) (?:from|by) /
// How a compiler run ends: no part of a message.
const TRAILER =
  /^(?:\d+ (?:warnings? and \d+ )?errors? generated\.|compilation terminated\.|cc1\w*: (?:some|all) warnings being treated as errors)$/
// Lines of make, ninja and CMake, which never stand for a line of source.
const BUILD_TOOL = /^(?:g?make(?:\[\d+\])?: |ninja: |\[ *\d+%\] |-- )/

interface Diagnostic {
  place: ReportedPlace
  severity: string
  text: string
}

/** `path:line:column: severity: text`, as gcc and clang print a diagnostic. */
function diagnostic(line: string): Diagnostic | undefined {
  let at = -1
  let marker = ''
  for (const severity of SEVERITIES) {
    const found = line.indexOf(severity)
    if (found >= 0 && (at < 0 || found < at)) {
      at = found
      marker = severity
    }
  }
  if (at < 0) return undefined
  const place = placeAtEnd(line.slice(0, at).trimStart(), true)
  if (!place) return undefined
  return { place, severity: marker.slice(2, -2), text: line.slice(at + marker.length) }
}

/** An error whose excerpt and notes are being read. */
interface OpenError extends Draft {
  // Right after a diagnostic line clang prints the line of source it is about.
  sourceMayFollow: boolean
  source?: string
}

class GccState extends BlockState<OpenError> {
  protected open(line: string): { take: Take; block: OpenError } | undefined {
    const found = diagnostic(line)
    if (!found || (found.severity !== 'error' && found.severity !== 'fatal error')) return undefined
    const block = { place: found.place, lines: [found.text], sourceMayFollow: true }
    return { take: { recognised: true, following: MAX_FOLLOWING }, block }
  }

  protected extend(error: OpenError, line: string): 'recognised' | undefined {
    const found = diagnostic(line)
    if (found) {
      if (found.severity !== 'note') return undefined
      addMessageLine(error.lines, line)
      error.sourceMayFollow = true
      return 'recognised'
    }
    if (GUTTER.test(line)) {
      addMessageLine(error.lines, line)
      error.sourceMayFollow = false
      return 'recognised'
    }
    const source = error.source
    error.source = undefined
    if (line.includes('^') && CARET.test(line)) {
      if (source !== undefined) addMessageLine(error.lines, source)
      addMessageLine(error.lines, line)
      return 'recognised'
    }
    if (CONTEXT.test(line) || TRAILER.test(line)) {
      error.sourceMayFollow = false
      return 'recognised'
    }
    if (error.sourceMayFollow && line.trim() !== '' && !BUILD_TOOL.test(line)) {
      error.source = line
      error.sourceMayFollow = false
      return 'recognised'
    }
    return undefined
  }

  protected close(error: OpenError): void {
    this.found.addError(error)
  }
}

/**
 * gcc's and clang's errors: `path:line:column: error: text` or `fatal error: text`, with the
 * excerpt of source and the notes below it as the rest of the message. The `In function` lines
 * before an error are left out of it. Coloured output splits `: error: ` with escape codes but
 * keeps `error: ` whole, hence the trigger.
 */
export const gccRecogniser: Recogniser = {
  name: 'gcc',
  triggers: ['error: '],
  maxFollowing: MAX_FOLLOWING,
  start: () => new GccState()
}
