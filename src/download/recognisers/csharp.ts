import { FindingList } from './finding-list.js'
import { positiveNumber } from './native-place.js'
import type { Recogniser, RecogniserState, ReportedPlace, Take } from './recogniser.js'

const MARKER = 'error CS'
// The code and message: `CS0103: The name 'x' does not exist in the current context`.
const CODED = /^CS\d{4}: \S/
// MSBuild's node number before a line under `-v normal` and above: `     1>src/Order.cs(19,35): …`.
const NODE = /^ *\d+>/

/** The text without the project MSBuild appends to a compiler's line: ` [/src/Shop/Shop.csproj]`. */
function withoutProject(text: string): string {
  const open = text.lastIndexOf(' [')
  return open >= 0 && text.endsWith('proj]') ? text.slice(0, open) : text
}

/** `path(line,column)` or `path(line,column,endLine,endColumn)`, as csc and mcs print a place. */
function placeOf(where: string): ReportedPlace | undefined {
  if (!where.endsWith(')')) return undefined
  const open = where.lastIndexOf('(')
  if (open <= 0) return undefined
  const numbers = where.slice(open + 1, -1).split(',')
  if (numbers.length !== 2 && numbers.length !== 4) return undefined
  const line = positiveNumber(numbers[0])
  const column = positiveNumber(numbers[1])
  if (line === undefined || column === undefined) return undefined
  return { path: where.slice(0, open), line, column }
}

class CsharpState implements RecogniserState {
  private readonly found = new FindingList()

  candidate(raw: string): Take | undefined {
    const line = raw.replace(NODE, '').trimStart()
    const at = line.indexOf(MARKER)
    if (at < 0) return undefined
    const message = withoutProject(line.slice(at + 'error '.length))
    if (!CODED.test(message)) return undefined
    // Before the marker: `path(line,column): `, or nothing or `CSC : ` for an error of no file.
    const where = line.slice(0, at)
    let place: ReportedPlace | undefined
    if (where.endsWith('): ')) {
      place = placeOf(where.slice(0, -2))
      if (!place) return undefined
    } else if (where !== '' && where !== 'CSC : ') {
      return undefined
    }
    this.found.add({ kind: 'compile-error', message, place })
    return { recognised: true, following: 0 }
  }

  following(): 'done' {
    return 'done'
  }

  finish() {
    return this.found.list()
  }
}

/**
 * C# compiler errors as csc (under MSBuild and `dotnet build`) and mono's mcs print them:
 * `path(line,column): error CSnnnn: message`, MSBuild's ` [project]` at the end left out. An error
 * of no file (`CSC : error CS5001: …`, mcs's `error CS2001: …`) is reported without a place.
 * MSBuild repeats every error after `Build FAILED.`; the repeat is recognised and kept once.
 */
export const csharpRecogniser: Recogniser = {
  name: 'csharp',
  triggers: [MARKER],
  maxFollowing: 0,
  start: () => new CsharpState()
}
