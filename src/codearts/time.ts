/**
 * Times and durations as CodeArts sends them. Their formats are not documented (API notes, 4d):
 * epoch milliseconds, ISO 8601, `YYYY-MM-DD HH:mm:ss` and Java's `Date.toString()` have been
 * seen. Anything else reads as unknown, never as an error.
 */
import { countOf } from './answer-fields.js'

/** The zone CodeArts means by a time without one, and the zone the summary shows times in. */
export const SHOWN_ZONE = { label: 'UTC+8', offsetMinutes: 8 * 60 } as const

const MINUTE_MS = 60_000
const HOUR_MS = 60 * MINUTE_MS
const DAY_MS = 24 * HOUR_MS
// Instants outside 2000–2100 are no build's: an epoch in seconds read as milliseconds lands in
// 1970, and a duration sent in a time field is a few thousand.
const EARLIEST_MS = Date.UTC(2000, 0, 1)
const LATEST_MS = Date.UTC(2100, 0, 1)
// No build runs longer: a bigger "duration" is a time sent in a duration field.
const LONGEST_MS = 366 * DAY_MS

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i
const JAVA =
  /^(?:mon|tue|wed|thu|fri|sat|sun) ([a-z]{3}) (\d{1,2}) (\d{2}):(\d{2}):(\d{2}) ([a-z]{1,5}|gmt[+-]\d{2}:?\d{2}) (\d{4})$/i
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']
/**
 * Zone names of `Date.toString()` read without doubt. `CST` is China Standard Time: CodeArts
 * prints it so (its servers run in China), although Java prints it for US Central too.
 */
const ZONE_MINUTES: Readonly<Record<string, number>> = {
  utc: 0,
  gmt: 0,
  ut: 0,
  z: 0,
  cst: 8 * 60,
  hkt: 8 * 60,
  sgt: 8 * 60
}

/** A wall-clock time in a zone as epoch ms, or undefined when a field is out of range. */
function instant(fields: number[], offsetMinutes: number): number | undefined {
  const [year, month, day, hour, minute, second, ms] = fields
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined
  const local = Date.UTC(year, month - 1, day, hour, minute, second, ms)
  // Date.UTC rolls 31 June over into July: a day the month does not have is no date.
  if (new Date(local).getUTCDate() !== day) return undefined
  const epochMs = local - offsetMinutes * MINUTE_MS
  return epochMs >= EARLIEST_MS && epochMs < LATEST_MS ? epochMs : undefined
}

/**
 * `Z`, `+08`, `+0800` or `+08:00` in minutes east of UTC; zone-less times are UTC+8. NaN for an
 * offset no zone has (`+08:99`, `+25`), which makes the time unknown.
 */
function offsetOf(zone: string | undefined): number {
  if (zone === undefined) return SHOWN_ZONE.offsetMinutes
  if (zone.toUpperCase() === 'Z') return 0
  const digits = zone.slice(1).replace(':', '')
  const hours = Number(digits.slice(0, 2))
  const minutesPast = Number(digits.slice(2) || '0')
  if (hours > 14 || minutesPast > 59) return NaN
  const minutes = hours * 60 + minutesPast
  return zone.startsWith('-') ? -minutes : minutes
}

function fromIso(text: string): number | undefined {
  const m = ISO.exec(text)
  if (!m) return undefined
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '0'] = m
  const ms = Number(fraction.padEnd(3, '0').slice(0, 3))
  const fields = [year, month, day, hour, minute, second].map(Number)
  return instant([...fields, ms], offsetOf(m[8]))
}

function fromJava(text: string): number | undefined {
  const m = JAVA.exec(text)
  if (!m) return undefined
  const [, monthName, day, hour, minute, second, zoneName, year] = m
  const zone = zoneName.toLowerCase()
  const offset =
    zone.startsWith('gmt') && zone.length > 3 ? offsetOf(zone.slice(3)) : ZONE_MINUTES[zone]
  const month = MONTHS.indexOf(monthName.toLowerCase()) + 1
  if (offset === undefined || month === 0) return undefined
  return instant([year, month, day, hour, minute, second, 0].map(Number), offset)
}

/**
 * Reads a CodeArts time as epoch milliseconds: epoch ms (a number or a numeric string), ISO 8601,
 * `YYYY-MM-DD HH:mm:ss` or Java's `Date.toString()`. Times without a zone are UTC+8. Undefined
 * for anything else, and for instants outside 2000–2100.
 */
export function parseServerTime(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isInteger(value) && value >= EARLIEST_MS && value < LATEST_MS ? value : undefined
  }
  if (typeof value !== 'string') return undefined
  const text = value.trim()
  if (text.length > 64) return undefined
  const epochMs = countOf(text)
  if (epochMs !== undefined) return parseServerTime(epochMs)
  return fromIso(text) ?? fromJava(text)
}

/**
 * Reads a CodeArts duration in milliseconds (a number or a numeric string). Undefined for a
 * negative, non-numeric or implausibly long value (over a year: a time in a duration field).
 */
export function parseDurationMs(value: unknown): number | undefined {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\d{1,15}(?:\.\d{1,6})?$/.test(value.trim())
        ? Number(value)
        : NaN
  return Number.isFinite(n) && n >= 0 && n <= LONGEST_MS ? n : undefined
}

/** The time fields of a stage or a record, as sent (any of the accepted forms) or already read. */
export interface ServerTimes {
  queuedTime?: unknown
  startTime?: unknown
  finishTime?: unknown
  /** `duration`: for a record it includes the queue. */
  duration?: unknown
  buildDuration?: unknown
  pendingDuration?: unknown
}

/** `later − earlier` when both read as times and are in order. */
function between(earlier: unknown, later: unknown): number | undefined {
  const from = parseServerTime(earlier)
  const to = parseServerTime(later)
  return from !== undefined && to !== undefined && to >= from ? to - from : undefined
}

/**
 * The first positive duration of `candidates`, in order. A zero counts only when nothing says
 * more: CodeArts may send 0 for a time it has not measured yet.
 */
function firstDuration(candidates: (number | undefined)[]): number | undefined {
  return candidates.find(ms => ms !== undefined && ms > 0) ?? candidates.find(ms => ms === 0)
}

/** A stage's time in CodeArts: `build_duration`, else `duration`, else finish − start. */
export function stageDurationMs(times: ServerTimes): number | undefined {
  return firstDuration([
    parseDurationMs(times.buildDuration),
    parseDurationMs(times.duration),
    between(times.startTime, times.finishTime)
  ])
}

/** How long a build queued: `pending_duration`, else start − queued. */
export function queueDurationMs(times: ServerTimes): number | undefined {
  return firstDuration([
    parseDurationMs(times.pendingDuration),
    between(times.queuedTime, times.startTime)
  ])
}

/** How long a build ran: `build_duration`, else finish − start (`duration` includes the queue). */
export function runDurationMs(times: ServerTimes): number | undefined {
  return firstDuration([
    parseDurationMs(times.buildDuration),
    between(times.startTime, times.finishTime)
  ])
}
