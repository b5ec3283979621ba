import { describe, expect, it } from '@jest/globals'
import { liveLogChunkOf } from '../src/codearts/live-log.js'
import { stopCommandsToken } from '../src/report/job-log.js'

describe('liveLogChunkOf', () => {
  it('reads offsets as numeric strings or numbers, and has_more as a boolean or a string', () => {
    expect(liveLogChunkOf({ has_more: true, end_offset: '24351', log: 'a\n' })).toEqual({
      hasMore: true,
      endOffset: 24351,
      log: 'a\n'
    })
    expect(liveLogChunkOf({ has_more: 'false', end_offset: 7, log: '' })).toEqual({
      hasMore: false,
      endOffset: 7,
      log: ''
    })
    expect(liveLogChunkOf({ has_more: 'true', end_offset: ' 12 ' }).hasMore).toBe(true)
  })

  it('gives NaN for an offset that is not a whole number, so following stops', () => {
    for (const end_offset of [undefined, '', '-1', '1.5', 'abc', -3, 2.5, null, {}]) {
      expect(liveLogChunkOf({ has_more: false, end_offset, log: 'x' }).endOffset).toBeNaN()
    }
  })

  it('keeps the log text as written: it is the build output, printed where commands are off', () => {
    const log = 'line 1\n::error::x\r\n\u2028tab\there\n'
    expect(liveLogChunkOf({ end_offset: '1', log }).log).toBe(log)
    expect(liveLogChunkOf({ end_offset: '1', log: 42 }).log).toBe('')
    expect(liveLogChunkOf(null).hasMore).toBe(false)
  })
})

describe('stopCommandsToken', () => {
  it('draws again when the text holds the token, so the text cannot end the block', () => {
    const draws = ['aaaa', 'bbbb']
    expect(stopCommandsToken('build prints ::aaaa:: here', () => draws.shift()!)).toBe('bbbb')
  })

  it('draws 32 hex digits by default, a new one each time', () => {
    const first = stopCommandsToken('')
    expect(first).toMatch(/^[0-9a-f]{32}$/)
    expect(stopCommandsToken('')).not.toBe(first)
  })

  it('gives up after a bounded number of draws', () => {
    expect(() => stopCommandsToken('xx', () => 'x')).toThrow(/could not draw/)
  })
})
