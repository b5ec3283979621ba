import { describe, expect, it } from '@jest/globals'
import { ELLIPSIS, cutCodePoints, cutCodeUnits, cutUtf8Bytes } from '../src/text-cut.js'

// A lone surrogate: what a cut inside a surrogate pair leaves behind.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

describe('cutCodePoints', () => {
  it('keeps a text of at most max characters whole, whatever its code units', () => {
    expect(cutCodePoints('abc', 3)).toBe('abc')
    expect(cutCodePoints('😀'.repeat(10), 10)).toBe('😀'.repeat(10))
  })

  it('cuts a longer text to max characters, the ellipsis one of them', () => {
    expect(cutCodePoints('abcd', 3)).toBe(`ab${ELLIPSIS}`)
    const cut = cutCodePoints('😀'.repeat(11), 10)
    expect(cut).toBe(`${'😀'.repeat(9)}${ELLIPSIS}`)
    expect(Array.from(cut)).toHaveLength(10)
  })

  it('drops the spaces before the ellipsis', () => {
    expect(cutCodePoints('ab   cdef', 5)).toBe(`ab${ELLIPSIS}`)
  })

  it('counts a lone surrogate as one character, as Array.from does', () => {
    expect(cutCodePoints('\ud800'.repeat(5), 3)).toBe(`\ud800\ud800${ELLIPSIS}`)
  })
})

describe('cutCodeUnits', () => {
  it('keeps a text of at most max code units whole', () => {
    expect(cutCodeUnits('x'.repeat(80), 80)).toBe('x'.repeat(80))
  })

  it('cuts a longer one to max code units, the ellipsis one of them', () => {
    const cut = cutCodeUnits('x'.repeat(81), 80)
    expect(cut).toBe(`${'x'.repeat(79)}${ELLIPSIS}`)
    expect(cut).toHaveLength(80)
  })

  it('never splits a surrogate pair, and drops the spaces before the ellipsis', () => {
    // 'a' then pairs: a cut after 4 units would split the second pair.
    const cut = cutCodeUnits(`a${'😀'.repeat(5)}`, 5)
    expect(cut).toBe(`a😀${ELLIPSIS}`)
    expect(cut).not.toMatch(LONE_SURROGATE)
    expect(cutCodeUnits('ab  cdefgh', 5)).toBe(`ab${ELLIPSIS}`)
  })
})

describe('cutUtf8Bytes', () => {
  it('keeps a text of at most max bytes whole', () => {
    expect(cutUtf8Bytes('构'.repeat(4), 12)).toBe('构'.repeat(4))
  })

  it('cuts a longer one between characters, to at most max bytes with the ellipsis', () => {
    for (const max of [12, 13, 14, 15]) {
      const cut = cutUtf8Bytes('构'.repeat(10), max)
      expect(cut.endsWith(ELLIPSIS)).toBe(true)
      expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(max)
      expect(Buffer.byteLength(cut)).toBeGreaterThan(max - 3)
      expect(cut).not.toContain('\ufffd')
    }
    expect(cutUtf8Bytes(`a${'😀'.repeat(3)}`, 8)).toBe(`a😀${ELLIPSIS}`)
    expect(cutUtf8Bytes(`a${'😀'.repeat(3)}`, 7)).toBe(`a${ELLIPSIS}`)
  })

  it('drops the spaces before the ellipsis', () => {
    expect(cutUtf8Bytes('ab    cdefgh', 8)).toBe(`ab${ELLIPSIS}`)
  })
})
