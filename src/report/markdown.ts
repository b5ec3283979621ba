/** `1 test`, `2 tests`: a count and its noun, with an `s` unless the count is one. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}

/** Escapes text for HTML, for the inside of a `<pre>` block, where Markdown is not parsed. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)
}

// Line breaks of any kind and other control characters: one of them inside a table cell ends
// the row there, and what follows is read as a row or a paragraph of its own.
const NOT_ONE_LINE = /[\p{Cc}\p{Zl}\p{Zp}]+/gu

/** The text on one line: every line break and control character becomes a space. */
export function oneLine(text: string): string {
  return text.replace(NOT_ONE_LINE, ' ')
}

/**
 * Escapes text for a Markdown line of the summary, so server text never becomes markup: HTML,
 * and the Markdown that would make links (autolinks too), images, emphasis, code or table
 * cells; and keeps it on one line, so it cannot split a table row or a list item, whoever
 * shaped it before.
 */
export function escapeForSummary(text: string): string {
  return (
    oneLine(text)
      .replace(/[&<>"'|`[\]()!*_~\\#@]/g, c => `&#${c.charCodeAt(0)};`)
      // GFM links bare URLs and www. names by itself (an address with @ is escaped above).
      .replace(/:(?=\/\/)/g, '&#58;')
      .replace(/(www)\./gi, '$1&#46;')
  )
}

/** Formats a byte count for people: `512 B`, `1.5 KiB`, `3.2 MiB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`
}
