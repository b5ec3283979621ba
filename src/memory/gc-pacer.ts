import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

/** V8's collector, as `--expose-gc` gives it. */
export type Collect = (options: { type: 'minor' | 'major'; execution: 'sync' | 'async' }) => void

interface Cadence {
  /** Body bytes between two collections of the young generation. */
  minorEveryBytes: number
  /** Body bytes between two full collections, each run as a task once the current callback returns. */
  majorEveryBytes: number
}

const MiB = 1024 * 1024

/**
 * Chosen with `npm run bench` (figures in docs/performance.md): every 8 MiB instead
 * of 4 was a little faster but let a 4 GiB log end above the 8 MiB allowed over a 1 GiB one, and
 * without the full collections the old generation crept up with the log.
 */
const DEFAULT_CADENCE: Cadence = { minorEveryBytes: 4 * MiB, majorEveryBytes: 256 * MiB }

/** Pause between young-generation collections while the artifact is zipped and uploaded. */
export const UPLOAD_COLLECT_EVERY_MS = 100

/** Whether Node was started with `--expose-gc`, on its command line or in NODE_OPTIONS. */
export function startedWithExposedGc(execArgv: readonly string[], nodeOptions = ''): boolean {
  return [...execArgv, ...nodeOptions.split(/\s+/)].some(arg => /^--expose[-_]gc$/.test(arg))
}

/**
 * V8's collector, or undefined where the engine refuses it. An action cannot choose Node's
 * flags, so `--expose-gc` is set just long enough for one new context to receive `gc`, then
 * cleared so that no other context gets it; a flag Node was started with is left as it is.
 */
export function exposeCollector(): Collect | undefined {
  const given = startedWithExposedGc(process.execArgv, process.env.NODE_OPTIONS)
  let set = false
  try {
    if (!given) {
      setFlagsFromString('--expose-gc')
      set = true
    }
    const gc: unknown = runInNewContext('gc')
    return typeof gc === 'function' ? (gc as Collect) : undefined
  } catch {
    return undefined
  } finally {
    if (set) clearFlag()
  }
}

function clearFlag(): void {
  try {
    setFlagsFromString('--no-expose-gc')
  } catch {
    // Set a moment ago, so this fails only if the engine stopped taking flags; left on, the flag
    // gives `gc` only to contexts made later.
  }
}

/**
 * Asks V8 to collect as a download makes garbage. Every socket read is a fresh 64 KiB buffer
 * whose memory is freed only when V8 collects the buffer's small JS object. A download
 * allocates almost nothing else on the JS heap, so the young generation seldom fills, and
 * V8 starts a full collection only once external memory has grown by about 64 MiB: dead
 * buffers pile up to that much, and more with several bodies at once. Counting body bytes
 * keeps the cadence tied to the garbage, whatever the network's speed.
 */
export class GcPacer {
  /** Collections asked for so far, by kind. */
  readonly asked = { minor: 0, major: 0 }
  private sinceMinor = 0
  private sinceMajor = 0

  constructor(
    private readonly collect: Collect | undefined,
    private readonly cadence: Cadence = DEFAULT_CADENCE
  ) {}

  /** Whether collections are asked for at all (false where the engine refused the collector). */
  get active(): boolean {
    return this.collect !== undefined
  }

  /** Counts received bytes, collecting when a cadence's share has arrived. */
  received(bytes: number): void {
    if (!this.collect) return
    this.sinceMinor += bytes
    this.sinceMajor += bytes
    if (this.sinceMajor >= this.cadence.majorEveryBytes) {
      // A full collection frees the young generation too.
      this.sinceMajor = 0
      this.sinceMinor = 0
      this.asked.major++
      this.collect({ type: 'major', execution: 'async' })
    } else if (this.sinceMinor >= this.cadence.minorEveryBytes) {
      this.sinceMinor = 0
      this.minor()
    }
  }

  /**
   * Collects the young generation every `ms` until the returned function is called: for work
   * whose bytes cannot be counted here, like the artifact client's zip and upload streams.
   */
  collectEvery(ms: number): () => void {
    if (!this.collect) return () => undefined
    const timer = setInterval(() => this.minor(), ms)
    timer.unref()
    return () => clearInterval(timer)
  }

  private minor(): void {
    this.asked.minor++
    this.collect?.({ type: 'minor', execution: 'sync' })
  }
}
