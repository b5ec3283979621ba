import { SHOWN_ZONE } from '../codearts/time.js'

const MINUTE_MS = 60_000

const pad = (n: number, width = 2): string => String(n).padStart(width, '0')

/**
 * A duration for people: `320 ms`, `4.2 s`, `42 s`, `1 min 05 s`, `2 h 03 min`, `3 d 04 h`.
 * Empty for an unknown, negative or non-finite one.
 */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return ''
  const whole = Math.round(ms)
  if (whole < 1000) return `${whole} ms`
  const tenths = Math.round(whole / 100)
  if (tenths < 100) return `${(tenths / 10).toFixed(1)} s`
  const seconds = Math.round(whole / 1000)
  if (seconds < 60) return `${seconds} s`
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${pad(seconds % 60)} s`
  const minutes = Math.round(seconds / 60)
  if (minutes < 24 * 60) return `${Math.floor(minutes / 60)} h ${pad(minutes % 60)} min`
  const hours = Math.round(minutes / 60)
  return `${Math.floor(hours / 24)} d ${pad(hours % 24)} h`
}

/**
 * The wall-clock time of an instant in a zone (UTC+8 unless told): `YYYY-MM-DD HH:mm:ss`, or
 * with `.SSS` when `withMs`.
 */
export function wallClock(
  epochMs: number,
  offsetMinutes: number = SHOWN_ZONE.offsetMinutes,
  withMs = false
): string {
  const d = new Date(epochMs + offsetMinutes * MINUTE_MS)
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  return `${date} ${time}${withMs ? `.${pad(d.getUTCMilliseconds(), 3)}` : ''}`
}

/** An instant as the summary shows it, saying its zone: `2024-06-26 16:25:09 UTC+8`. */
export function formatTime(epochMs: number): string {
  return `${wallClock(epochMs)} ${SHOWN_ZONE.label}`
}
