/**
 * Cutting text to a length, one function per unit the length is counted in. Each keeps a text
 * that fits whole; a longer one becomes its start, trailing spaces dropped, and `…`, all of it
 * within `max` units (so `max` is at least the ellipsis). A cut never splits a character: a
 * surrogate pair, or the bytes of one character in UTF-8, stay together.
 */

/** What a cut text ends with. */
export const ELLIPSIS = '…'
const ELLIPSIS_BYTES = Buffer.byteLength(ELLIPSIS)

function ended(start: string): string {
  return `${start.trimEnd()}${ELLIPSIS}`
}

/** At most `max` characters (code points): for what a person reads, whatever its script. */
export function cutCodePoints(text: string, max: number): string {
  // Code units bound code points from above: most texts need no count.
  if (text.length <= max) return text
  let index = 0
  let cutAt = 0
  for (let count = 0; index < text.length; count++) {
    if (count === max) return ended(text.slice(0, cutAt))
    if (count === max - 1) cutAt = index
    index += (text.codePointAt(index) ?? 0) > 0xffff ? 2 : 1
  }
  return text
}

/** At most `max` UTF-16 code units (a JavaScript string's `length`), a surrogate pair kept whole. */
export function cutCodeUnits(text: string, max: number): string {
  if (text.length <= max) return text
  let end = max - ELLIPSIS.length
  const last = text.charCodeAt(end - 1)
  if (last >= 0xd800 && last <= 0xdbff) end--
  return ended(text.slice(0, end))
}

/** At most `max` bytes of UTF-8, cut between characters. */
export function cutUtf8Bytes(text: string, max: number): string {
  // A UTF-16 code unit takes at most 3 bytes of UTF-8: most texts need no encoding.
  if (text.length * 3 <= max) return text
  const bytes = Buffer.from(text)
  if (bytes.length <= max) return text
  let end = max - ELLIPSIS_BYTES
  // A continuation byte (10xxxxxx) is inside a character: back up to where it starts.
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--
  return ended(bytes.toString('utf8', 0, end))
}
