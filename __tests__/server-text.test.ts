import { describe, expect, it } from '@jest/globals'
import { UNKNOWN_STATUS, serverStatus } from '../src/codearts/status.js'
import { TextLimit, sanitizeForLog, serverText } from '../src/server-text.js'

describe('serverText', () => {
  it.each([
    ['C0 controls', 'a\u0000b\u0007c\u001bd\te', 'a b c d e'],
    ['DEL', 'a\u007fb', 'a b'],
    ['C1 controls and NEL', 'a\u0085b\u009bc', 'a b c'],
    ['CR LF and lone CR', 'a\r\nb\rc\nd', 'a b c d'],
    ['line and paragraph separators', 'a\u2028b\u2029c', 'a b c'],
    ['bidi controls and invisible format characters', 'a\u202eb\u2066c\u200bd\ufeffe', 'a b c d e'],
    ['runs of spaces, trimmed', '  a    b \u00a0 c  ', 'a b c'],
    ['workflow commands', '::error title=x::y', ': :error title=x: :y'],
    ['runs of colons', ':::x', ': : :x'],
    ['legacy commands', 'a ##[error]b', 'a # #[error]b']
  ])('makes %s one plain line', (_, value, expected) => {
    expect(serverText(value, TextLimit.Name)).toBe(expected)
  })

  it('never leaves a line break or a workflow command at the start of a line', () => {
    const shown = serverText('x\n::error title=x::y\r\n::set-output name=x::y', TextLimit.Name)
    expect(shown).toBe('x : :error title=x: :y : :set-output name=x: :y')
    expect(shown).not.toMatch(/::|[\r\n]/)
  })

  it('keeps a string at the limit and cuts a longer one with an ellipsis, the limit long', () => {
    expect(serverText('a'.repeat(200), TextLimit.Name)).toBe('a'.repeat(200))
    const cut = serverText('a'.repeat(10_000), TextLimit.Name)
    expect(cut).toBe(`${'a'.repeat(199)}…`)
    expect(serverText('word '.repeat(300), TextLimit.Message)).toHaveLength(TextLimit.Message)
  })

  it('cuts between characters, never inside a surrogate pair', () => {
    const cut = serverText('😀'.repeat(300), TextLimit.Name) ?? ''
    expect(Array.from(cut)).toHaveLength(200)
    expect(cut).toBe(`${'😀'.repeat(199)}…`)
    expect(cut).not.toMatch(
      /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/
    )
    expect(serverText('😀'.repeat(150), TextLimit.Name)).toBe('😀'.repeat(150))
  })

  it('gives undefined for a non-string or for nothing left', () => {
    for (const value of [undefined, null, 42, true, {}, ['a']]) {
      expect(serverText(value, TextLimit.Name)).toBeUndefined()
    }
    expect(serverText(' \r\n\u2028\u0000 ', TextLimit.Name)).toBeUndefined()
  })
})

describe('sanitizeForLog', () => {
  it('replaces unsafe characters and breaks commands but keeps the spacing of a log line', () => {
    expect(sanitizeForLog('    at x\u2028::warning::y')).toBe('    at x : :warning: :y')
  })
})

describe('serverStatus', () => {
  it.each([
    ['SUCCESS', 'success'],
    [' Error ', 'error'],
    ['in_progress', 'in_progress'],
    ['time-out', 'time-out'],
    ['error\n::error title=x::y', UNKNOWN_STATUS],
    ['success|x', UNKNOWN_STATUS],
    ['<b>ok</b>', UNKNOWN_STATUS],
    ['a'.repeat(33), UNKNOWN_STATUS],
    ['', ''],
    ['  ', '']
  ])('reads %j as %j', (value, expected) => {
    expect(serverStatus(value)).toBe(expected)
  })

  it('reads a non-string as no status', () => {
    for (const value of [undefined, null, 0, {}]) expect(serverStatus(value)).toBe('')
  })
})
