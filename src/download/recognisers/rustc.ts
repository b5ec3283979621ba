import { BlockState } from './failure-block.js'
import { addMessageLine, type Draft } from './finding-draft.js'
import { placeAtEnd } from './native-place.js'
import type { Recogniser, Take } from './recogniser.js'

// Enough for a diagnostic's excerpt, labels, notes and suggestions.
const MAX_FOLLOWING = 40

// `error[E0308]: mismatched types` or `error: unused variable: `x``.
const HEAD = /^error(?:\[(E\d{4,5})\])?: (.*)$/
// cargo's and rustc's closing lines, which repeat that errors were printed.
const SUMMARY = /^(?:could not compile |aborting due to |\d+ targets? failed)/
// The diagnostic's place: ` --> src/main.rs:10:25`.
const ARROW = /^ *--> (.*)$/
// An empty gutter line (`   |`), which only spaces out the excerpt.
const EMPTY_GUTTER = /^ *\|$/

interface OpenError extends Draft {
  /** A coded error is rustc's; an uncoded one is only when its place follows. */
  confirmed: boolean
}

class RustcState extends BlockState<OpenError> {
  protected open(line: string): { take: Take; block?: OpenError } | undefined {
    const head = HEAD.exec(line)
    if (!head) return undefined
    const [, code, text] = head
    if (code === undefined && SUMMARY.test(text)) {
      return this.found.size > 0 ? { take: { recognised: true, following: 0 } } : undefined
    }
    const block = { lines: [code ? `${code}: ${text}` : text], confirmed: code !== undefined }
    return { take: { recognised: code !== undefined, following: MAX_FOLLOWING }, block }
  }

  protected extend(open: OpenError, line: string): 'recognised' | undefined {
    if (open.place === undefined) {
      const arrow = ARROW.exec(line)
      const place = arrow ? placeAtEnd(arrow[1], true) : undefined
      if (place) {
        open.place = place
        open.confirmed = true
        return 'recognised'
      }
    }
    if (!open.confirmed) return undefined
    if (line.trim() === '' || line.startsWith('error') || line.startsWith('warning')) {
      return undefined
    }
    if (!EMPTY_GUTTER.test(line)) addMessageLine(open.lines, line)
    return 'recognised'
  }

  protected close(open: OpenError): void {
    if (open.confirmed) this.found.addError(open)
  }
}

/**
 * rustc's errors as rustc and cargo print them: `error[E0308]: message` (or `error: message`
 * without a code, for lints and syntax) and then ` --> path:line:column`, with the excerpt and
 * notes below as the rest of the message, up to the blank line that ends each diagnostic. An
 * uncoded `error:` without a place is cargo's own (`could not compile …`, `failed to run …`) and
 * is left alone. Coloured output keeps `error[E` whole but splits `error: ` as `error\e[0m…: `.
 */
export const rustcRecogniser: Recogniser = {
  name: 'rustc',
  triggers: ['error[E', 'error: ', 'error\u001b[0m'],
  maxFollowing: MAX_FOLLOWING,
  start: () => new RustcState()
}
