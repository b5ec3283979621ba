import { shorten } from './log-lines.js'
import {
  MAX_FINDINGS,
  type Finding,
  type Recogniser,
  type RecogniserState
} from './recognisers/recogniser.js'
import { triggerProblem } from './scan-kernel.js'

/** The most following lines a recogniser may ask for after a candidate. */
export const MAX_FOLLOWING = 1000

/** What the recognisers found in one log, and which of them threw. */
export interface Recognised {
  /** Recogniser by recogniser, each in log order. */
  findings: Finding[]
  /** Each recogniser that threw, as `name: message`: it was dropped for the rest of the log. */
  failures: string[]
}

/**
 * What the byte pass looks for: `marks`, then every recogniser's triggers, each once; and for each
 * trigger, the recognisers it is for (none for a mark alone). Throws, naming the recogniser, when
 * one asks for too many following lines or has a bad trigger.
 */
export function triggersOf(
  recognisers: readonly Recogniser[],
  marks: readonly string[]
): { triggers: string[]; owners: number[][] } {
  const triggers = [...marks]
  const owners: number[][] = marks.map(() => [])
  for (const [r, recogniser] of recognisers.entries()) {
    const { name, maxFollowing } = recogniser
    if (!Number.isInteger(maxFollowing) || maxFollowing < 0 || maxFollowing > MAX_FOLLOWING)
      throw new Error(
        `Recogniser ${name} asks for up to ${maxFollowing} following lines; 0 to ${MAX_FOLLOWING} are allowed`
      )
    for (const trigger of new Set(recogniser.triggers)) {
      const problem = triggerProblem(Buffer.from(trigger))
      if (problem) throw new Error(`Recogniser ${name}: ${problem}`)
      let t = triggers.indexOf(trigger)
      if (t === -1) t = triggers.push(trigger) - 1
      owners[t] ??= []
      owners[t].push(r)
    }
  }
  return { triggers, owners }
}

/**
 * Drives the recognisers over one log by the rules of recognisers/recogniser.ts, a line at a
 * time, as the scanner meets the lines: first the recognisers that want following lines, then
 * those with a trigger on the line (unless they took it as a following line).
 *
 * The scanner tells it, line by line, which triggers are on the line (`triggered`) and decodes
 * the line only when `wantsLine` says a recogniser will read it. Each line gets a new serial
 * number, so marking a recogniser with it needs no clearing between lines.
 */
export class RecogniserDriver {
  /**
   * What the byte pass looks for: the `marks` the scanner asked for, then every recogniser's
   * triggers, each once. A trigger's index here is the one `triggered` takes.
   */
  readonly triggers: readonly string[]
  /** Per trigger, the recognisers it is for. */
  private readonly owners: number[][]
  /** Each recogniser's state for this log; undefined once it threw. */
  private readonly states: (RecogniserState | undefined)[]
  private readonly failures: string[] = []
  /** Per recogniser, how many more following lines it wants. */
  private readonly wanted: number[]
  /** How many recognisers want following lines. */
  private busyCount = 0
  private serial = 1
  /** The recognisers with a trigger on the current line. */
  private readonly candidates: number[] = []
  private readonly triggeredOn: number[]
  private readonly tookAsFollowing: number[]

  /** Throws, naming the recogniser, when one asks for too many following lines or has a bad trigger. */
  constructor(
    private readonly recognisers: readonly Recogniser[],
    marks: readonly string[]
  ) {
    ;({ triggers: this.triggers, owners: this.owners } = triggersOf(recognisers, marks))
    this.states = recognisers.map(recogniser => recogniser.start())
    this.wanted = recognisers.map(() => 0)
    this.triggeredOn = recognisers.map(() => 0)
    this.tookAsFollowing = recognisers.map(() => 0)
  }

  /** Whether some recogniser wants the lines that come next, whatever they hold. */
  get busy(): boolean {
    return this.busyCount > 0
  }

  /** Whether a recogniser will read the current line: the scanner decodes it only then. */
  get wantsLine(): boolean {
    return this.busyCount > 0 || this.candidates.length > 0
  }

  /** Trigger `t` is on the current line. */
  triggered(t: number): void {
    const owners = this.owners[t]
    for (let i = 0; i < owners.length; i++) {
      const r = owners[i]
      if (this.triggeredOn[r] === this.serial) continue
      this.triggeredOn[r] = this.serial
      this.candidates.push(r)
    }
  }

  /**
   * Hands the current line (decoded and cleaned by `toolLine`) to the recognisers, and moves on to
   * the next line. Whether one recognised it. For a line that `wantsLine` says none reads, see
   * `skipLine`.
   */
  endLine(line: string): boolean {
    let recognised = false
    for (let r = 0; this.busyCount > 0 && r < this.wanted.length; r++) {
      if (this.wanted[r] === 0) continue
      const followed = this.follow(r, line)
      if (followed === 'done') {
        this.want(r, 0)
        continue
      }
      this.want(r, this.wanted[r] - 1)
      this.tookAsFollowing[r] = this.serial
      if (followed === 'recognised') recognised = true
    }
    for (const r of this.candidates) {
      if (this.tookAsFollowing[r] === this.serial) continue
      const take = this.candidate(r, line)
      if (!take) continue
      if (take.recognised) recognised = true
      const following = Math.floor(take.following)
      this.want(r, following > 0 ? Math.min(following, this.recognisers[r].maxFollowing) : 0)
    }
    this.skipLine()
    return recognised
  }

  /** Moves on to the next line without reading this one: for a line no recogniser reads. */
  skipLine(): void {
    this.candidates.length = 0
    this.serial++
  }

  /** What was found, once the log has ended: at most MAX_FINDINGS per recogniser. */
  finish(): Recognised {
    const findings: Finding[] = []
    for (const [r, state] of this.states.entries()) {
      if (!state) continue
      try {
        findings.push(...state.finish().slice(0, MAX_FINDINGS))
      } catch (error) {
        this.drop(r, error)
      }
    }
    return { findings, failures: this.failures }
  }

  private want(r: number, lines: number): void {
    if (this.wanted[r] > 0) this.busyCount--
    this.wanted[r] = this.states[r] ? lines : 0
    if (this.wanted[r] > 0) this.busyCount++
  }

  // A recogniser that throws (a log it was not written for) is dropped for the rest of the log
  // and named in the failures; the scan goes on. One try per call, without a closure: these run
  // for every line a recogniser reads.

  private follow(r: number, line: string): 'took' | 'recognised' | 'done' {
    const state = this.states[r]
    if (!state) return 'done'
    try {
      return state.following(line)
    } catch (error) {
      this.drop(r, error)
      return 'done'
    }
  }

  private candidate(r: number, line: string): ReturnType<RecogniserState['candidate']> {
    const state = this.states[r]
    if (!state) return undefined
    try {
      return state.candidate(line)
    } catch (error) {
      this.drop(r, error)
      return undefined
    }
  }

  private drop(r: number, error: unknown): void {
    this.states[r] = undefined
    this.want(r, 0)
    const message = error instanceof Error ? error.message : String(error)
    this.failures.push(`${this.recognisers[r].name}: ${shorten(message)}`)
  }
}
