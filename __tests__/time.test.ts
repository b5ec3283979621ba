import { describe, expect, it } from '@jest/globals'
import {
  SHOWN_ZONE,
  parseDurationMs,
  parseServerTime,
  queueDurationMs,
  runDurationMs,
  stageDurationMs
} from '../src/codearts/time.js'
import { formatDuration, formatTime, wallClock } from '../src/report/time-format.js'

// 2024-06-26 16:25:09 at UTC+8.
const INSTANT = Date.UTC(2024, 5, 26, 8, 25, 9)

describe('parseServerTime', () => {
  it('reads epoch milliseconds as a number or a numeric string', () => {
    expect(parseServerTime(INSTANT)).toBe(INSTANT)
    expect(parseServerTime(String(INSTANT))).toBe(INSTANT)
    expect(parseServerTime(` ${INSTANT} `)).toBe(INSTANT)
  })

  it('refuses epoch numbers that are no build time', () => {
    // Epoch seconds, a duration, fractions, and instants outside 2000–2100.
    for (const value of [1719390309, 28425, 0, -1, INSTANT + 0.5, NaN, Infinity, 9e15, '1e12']) {
      expect(parseServerTime(value)).toBeUndefined()
    }
  })

  it('reads ISO 8601 with a zone', () => {
    expect(parseServerTime('2024-06-26T08:25:09Z')).toBe(INSTANT)
    expect(parseServerTime('2024-06-26T08:25:09.000z')).toBe(INSTANT)
    expect(parseServerTime('2024-06-26T16:25:09+08:00')).toBe(INSTANT)
    expect(parseServerTime('2024-06-26T16:25:09+0800')).toBe(INSTANT)
    expect(parseServerTime('2024-06-26T16:25:09+08')).toBe(INSTANT)
    expect(parseServerTime('2024-06-26T03:25:09-05:00')).toBe(INSTANT)
    expect(parseServerTime('2024-06-26T16:25:09.5+08:00')).toBe(INSTANT + 500)
    expect(parseServerTime('2024-06-26T16:25:09,123456+08:00')).toBe(INSTANT + 123)
    expect(parseServerTime('2024-06-26T16:25+08:00')).toBe(INSTANT - 9000)
  })

  it('takes a time whose offset no zone has for unknown', () => {
    expect(parseServerTime('2024-06-26T16:25:09+08:99')).toBeUndefined()
    expect(parseServerTime('2024-06-26T16:25:09+23:00')).toBeUndefined()
    expect(parseServerTime('Wed Jun 26 16:25:09 GMT+08:60 2024')).toBeUndefined()
    expect(parseServerTime('2024-06-26T16:25:09+14:00')).toBe(INSTANT - 6 * 3600_000)
  })

  it('reads times without a zone as UTC+8', () => {
    expect(parseServerTime('2024-06-26T16:25:09')).toBe(INSTANT)
    expect(parseServerTime('2024-06-26 16:25:09')).toBe(INSTANT)
    expect(parseServerTime('2024-06-26 16:25:09.250')).toBe(INSTANT + 250)
    expect(parseServerTime('2024-06-26')).toBe(Date.UTC(2024, 5, 25, 16))
    expect(SHOWN_ZONE).toEqual({ label: 'UTC+8', offsetMinutes: 480 })
  })

  it("reads Java's Date.toString(), CST being China Standard Time", () => {
    expect(parseServerTime('Wed Jun 26 16:25:09 CST 2024')).toBe(INSTANT)
    expect(parseServerTime('wed jun 26 16:25:09 cst 2024')).toBe(INSTANT)
    expect(parseServerTime('Wed Jun 26 08:25:09 UTC 2024')).toBe(INSTANT)
    expect(parseServerTime('Wed Jun 26 08:25:09 GMT 2024')).toBe(INSTANT)
    expect(parseServerTime('Wed Jun 26 16:25:09 GMT+08:00 2024')).toBe(INSTANT)
    expect(parseServerTime('Wed Jun 26 03:25:09 GMT-05:00 2024')).toBe(INSTANT)
    expect(parseServerTime('Wed Jun 26 16:25:09 SGT 2024')).toBe(INSTANT)
    expect(parseServerTime('Wed Jun 6 16:25:09 CST 2024')).toBe(INSTANT - 20 * 86_400_000)
  })

  it('leaves ambiguous zone names unknown', () => {
    for (const zone of ['IST', 'EST', 'PDT', 'BST', 'XYZ']) {
      expect(parseServerTime(`Wed Jun 26 16:25:09 ${zone} 2024`)).toBeUndefined()
    }
  })

  it('reads anything else as unknown, never throwing', () => {
    const values: unknown[] = [
      undefined,
      null,
      true,
      {},
      [],
      '',
      '   ',
      'yesterday',
      '2024-02-30 10:00:00',
      '2024-13-01 10:00:00',
      '2024-06-26 24:00:00',
      '2024-06-26 16:60:00',
      '2024-06-26 16:25:61',
      '2024-06-26T16:25:09+08:00 trailing',
      '26/06/2024 16:25:09',
      'Wed, 26 Jun 2024 08:25:09 GMT',
      'Xyz Jun 26 16:25:09 CST 2024',
      'Wed Foo 26 16:25:09 CST 2024',
      'Wed Jun 31 16:25:09 CST 2024',
      '1999-12-31 23:59:59',
      '2100-01-01 08:00:00',
      `${'9'.repeat(10_000)}`,
      '2024-06-26 16:25:09'.repeat(1000)
    ]
    for (const value of values) expect(parseServerTime(value)).toBeUndefined()
  })
})

describe('parseDurationMs', () => {
  it('reads milliseconds as numbers or numeric strings', () => {
    expect(parseDurationMs(28425)).toBe(28425)
    expect(parseDurationMs('28425')).toBe(28425)
    expect(parseDurationMs(' 12.5 ')).toBe(12.5)
    expect(parseDurationMs(0)).toBe(0)
  })

  it('refuses negative, non-numeric and implausible values', () => {
    const values: unknown[] = [-1, '-1', NaN, Infinity, '', 'abc', '1e3', null, {}, INSTANT, '0x10']
    for (const value of values) expect(parseDurationMs(value)).toBeUndefined()
  })
})

describe('durations picked from the time fields', () => {
  const start = '2024-06-26 16:25:09'
  const finish = '2024-06-26 16:26:14'

  it("takes a stage's build_duration, else duration, else finish − start", () => {
    expect(stageDurationMs({ buildDuration: 1000, duration: 2000, startTime: start })).toBe(1000)
    expect(stageDurationMs({ duration: '2000', startTime: start, finishTime: finish })).toBe(2000)
    expect(stageDurationMs({ startTime: start, finishTime: finish })).toBe(65_000)
    expect(stageDurationMs({ startTime: INSTANT, finishTime: INSTANT + 5 })).toBe(5)
    expect(stageDurationMs({ startTime: finish, finishTime: start })).toBeUndefined()
    expect(stageDurationMs({ startTime: start })).toBeUndefined()
    expect(stageDurationMs({})).toBeUndefined()
  })

  it('trusts a zero only when nothing says more', () => {
    expect(stageDurationMs({ buildDuration: 0, duration: 3000 })).toBe(3000)
    expect(stageDurationMs({ buildDuration: 0, startTime: start, finishTime: finish })).toBe(65_000)
    expect(stageDurationMs({ buildDuration: 0 })).toBe(0)
    expect(stageDurationMs({ buildDuration: 'x', duration: -5 })).toBeUndefined()
  })

  it("takes a build's queue from pending_duration, else start − queued", () => {
    expect(queueDurationMs({ pendingDuration: 4000, queuedTime: start, startTime: finish })).toBe(
      4000
    )
    expect(queueDurationMs({ queuedTime: start, startTime: finish })).toBe(65_000)
    // record-info's queued_time may be a duration ("time taken"), which is no time.
    expect(queueDurationMs({ queuedTime: '3000', startTime: finish })).toBeUndefined()
    expect(queueDurationMs({ duration: 9000 })).toBeUndefined()
  })

  it("takes a build's run time from build_duration, else finish − start, never duration", () => {
    expect(runDurationMs({ buildDuration: 28425, duration: 40000 })).toBe(28425)
    expect(runDurationMs({ duration: 40000, startTime: start, finishTime: finish })).toBe(65_000)
    expect(runDurationMs({ duration: 40000 })).toBeUndefined()
  })
})

describe('formatDuration', () => {
  it('reads like a person would say it', () => {
    const cases: [number, string][] = [
      [0, '0 ms'],
      [320, '320 ms'],
      [999.4, '999 ms'],
      [999.6, '1.0 s'],
      [4249, '4.2 s'],
      [9960, '10 s'],
      [42_400, '42 s'],
      [59_600, '1 min 00 s'],
      [65_000, '1 min 05 s'],
      [3_599_400, '59 min 59 s'],
      [3_599_600, '1 h 00 min'],
      [7_380_000, '2 h 03 min'],
      [86_399_000, '1 d 00 h'],
      [273_600_000, '3 d 04 h']
    ]
    for (const [ms, text] of cases) expect(formatDuration(ms)).toBe(text)
  })

  it('is empty for an unknown duration', () => {
    for (const ms of [undefined, -1, NaN, Infinity]) expect(formatDuration(ms)).toBe('')
  })
})

describe('times shown', () => {
  it('in UTC+8, saying so', () => {
    expect(formatTime(INSTANT)).toBe('2024-06-26 16:25:09 UTC+8')
    expect(wallClock(INSTANT + 7)).toBe('2024-06-26 16:25:09')
    expect(wallClock(INSTANT + 7, 0, true)).toBe('2024-06-26 08:25:09.007')
    // Past midnight in UTC+8 is the next day.
    expect(wallClock(Date.UTC(2024, 11, 31, 16))).toBe('2025-01-01 00:00:00')
  })

  it('round-trips through the parser', () => {
    for (const ms of [INSTANT, INSTANT + 1, Date.UTC(2030, 1, 28, 23, 59, 59, 999)]) {
      expect(parseServerTime(wallClock(ms, SHOWN_ZONE.offsetMinutes, true))).toBe(ms)
    }
  })
})
