/** Statistics and the printed report. */
import { KiB, MiB, type Bench, type Target } from './context.js'
import type { Measured } from './measure.js'

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** Samples of one runner, in milliseconds or KiB. */
export class Series {
  readonly wall: number[] = []
  readonly rss: number[] = []
  readonly cpu: number[] = []
  readonly extra: number[] = []
  constructor(
    readonly label: string,
    readonly extraLabel = ''
  ) {}
  add(m: Measured, extra?: number): void {
    this.wall.push(m.wallMs)
    if (m.rssKiB !== undefined) this.rss.push(m.rssKiB)
    if (m.cpuMs !== undefined) this.cpu.push(m.cpuMs)
    if (extra !== undefined) this.extra.push(extra)
  }
}

/** Records a target on the ratio of two medians, e.g. action time over curl time. */
export function ratioTarget(
  bench: Bench,
  name: string,
  numerator: number[],
  denominator: number[],
  op: Target['op'],
  limit: number
): void {
  bench.targets.push({ name, value: median(numerator) / median(denominator), op, limit, unit: '×' })
}

export const pad = (s: string, n: number): string => s.padEnd(n)
export const num = (v: number, digits = 0): string => (Number.isFinite(v) ? v.toFixed(digits) : '—')

/** A size as the action's notices write it: bytes, or KiB and MiB with one decimal. */
export function formatSize(bytes: number): string {
  if (bytes < KiB) return `${bytes} B`
  return bytes < MiB ? `${(bytes / KiB).toFixed(1)} KiB` : `${(bytes / MiB).toFixed(1)} MiB`
}

export function printSeries(title: string, series: Series[]): void {
  console.log(`\n${title}`)
  console.log(
    `  ${pad('runner', 38)}${'median ms'.padStart(10)}${'min'.padStart(8)}${'max'.padStart(8)}${'CPU ms'.padStart(8)}${'RSS MiB'.padStart(9)}  extra (median)`
  )
  for (const s of series.filter(x => x.wall.length > 0)) {
    const rss = s.rss.length ? num(median(s.rss) / KiB, 1) : '—'
    const cpu = s.cpu.length ? num(median(s.cpu)) : '—'
    const extra = s.extra.length ? `${s.extraLabel} ${num(median(s.extra))} ms` : ''
    console.log(
      `  ${pad(s.label, 38)}${num(median(s.wall)).padStart(10)}${num(Math.min(...s.wall)).padStart(8)}${num(Math.max(...s.wall)).padStart(8)}${cpu.padStart(8)}${rss.padStart(9)}  ${extra}`
    )
  }
}

/** Rotates the order of the runners every repetition, so drift and warm-up hit them all alike. */
export async function alternate(reps: number, runners: (() => Promise<void>)[]): Promise<void> {
  for (let rep = 0; rep < reps; rep++) {
    for (let i = 0; i < runners.length; i++) await runners[(rep + i) % runners.length]()
  }
}
