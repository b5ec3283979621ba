/**
 * What every workload of the bench shares: the flags, the sizes they select, the action's
 * defaults, the run's temporary folder, and where correctness problems and targets are recorded.
 */
import { parseArgs } from 'node:util'
import { INPUT_TABLE } from '../../src/inputs/table.js'

export const KiB = 1024
export const MiB = 1024 * KiB
export const GiB = 1024 * MiB

/** How big each workload is: small for CI (`--quick`), full for people. */
export type Sizes = typeof QUICK_SIZES

const QUICK_SIZES = {
  reps: 3,
  startupReps: 5,
  manyStages: 12,
  manyBytes: 64 * KiB,
  latencyMs: 50,
  bigStages: 4,
  bigBytes: 16 * MiB,
  memBig: 32 * MiB,
  memHuge: 64 * MiB,
  timeoutMs: 120_000,
  diskNeeded: 1 * GiB,
  followSeconds: 2,
  followAnswers: [1 * MiB],
  sectionStages: 4,
  sectionLatencyMs: 50
}

const FULL_SIZES: Sizes = {
  reps: 5,
  startupReps: 15,
  manyStages: 24,
  manyBytes: 200 * KiB,
  latencyMs: 300,
  bigStages: 4,
  bigBytes: 256 * MiB,
  memBig: 1 * GiB,
  memHuge: 4 * GiB,
  timeoutMs: 600_000,
  // The 4 GiB log, with room to spare for the other runs' files.
  diskNeeded: 6 * GiB,
  followSeconds: 20,
  followAnswers: [1 * MiB, 64 * KiB, 4 * KiB],
  sectionStages: 4,
  sectionLatencyMs: 300
}

/** A figure a workload is held to, e.g. the action's time over curl's. */
export interface Target {
  name: string
  value: number
  op: '<=' | '>='
  limit: number
  unit: string
}

export interface Bench {
  /**
   * Small sizes. At those Node's start-up outweighs the work, so the ratios say little about
   * the targets and a loaded CI machine makes them noisy: quick mode reports them but fails only
   * on correctness, including the deterministic check that the pool really runs C requests at once.
   */
  quick: boolean
  sizes: Sizes
  reps: number
  /** The workload numbers to run (`--only`); every one when not given. */
  only: ReadonlySet<string> | undefined
  /** The action's concurrency: its default, or `--concurrency`. */
  concurrency: number
  /** The inputs the runner passes as INPUT_* even when a workflow leaves them unset. */
  defaults: Record<string, string>
  /** Inputs the flags set for every run of the action (`--concurrency`, `--compression-level`). */
  overrides: Record<string, string>
  /** This run's temporary folder, made by the runner; removed at the end. */
  root: string
  /** Child processes still running, killed if the bench is interrupted. */
  running: Set<number>
  /** Everything that went wrong with correctness; any entry fails the run whatever the timings. */
  problems: string[]
  targets: Target[]
}

/** One workload of the bench: a file of scripts/bench/, and one line in run.ts's list. */
export interface Workload {
  /** The numbers `--only` selects it by; one workload may report several (3 and 5 share runs). */
  ids: string[]
  run(bench: Bench): Promise<void>
}

/** Whether `--only` asks for the workload (or part of one) with this number. */
export function selected(bench: Bench, id: string): boolean {
  return bench.only === undefined || bench.only.has(id)
}

export function check(bench: Bench, ok: boolean, message: string): void {
  if (!ok) bench.problems.push(message)
}

function positiveInt(flag: string, raw: string): number {
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} wants a positive integer, got ${raw}`)
  return n
}

/**
 * The defaults the runner passes for inputs a workflow leaves unset: those of action.yml, which
 * the input table holds (a test keeps the two equal). An expression default such as
 * `${{ github.token }}` is left out: outside a workflow nothing evaluates it.
 */
function runnerDefaults(): Record<string, string> {
  const defaults: Record<string, string> = {}
  for (const [name, spec] of Object.entries(INPUT_TABLE)) {
    if (!('default' in spec)) continue
    const value = String(spec.default)
    if (!value.includes('${{')) defaults[name] = value
  }
  return defaults
}

/** The bench the command line asks for; the runner makes its temporary folder. */
export function benchFromArgs(argv: string[]): Bench {
  const { values: flags } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      reps: { type: 'string' },
      only: { type: 'string' },
      concurrency: { type: 'string' },
      'compression-level': { type: 'string' }
    }
  })
  const sizes = flags.quick ? QUICK_SIZES : FULL_SIZES
  const defaults = runnerDefaults()
  return {
    quick: flags.quick,
    sizes,
    reps: flags.reps ? positiveInt('--reps', flags.reps) : sizes.reps,
    only: flags.only === undefined ? undefined : new Set(flags.only.split(',').map(s => s.trim())),
    concurrency: flags.concurrency
      ? positiveInt('--concurrency', flags.concurrency)
      : Number(defaults.concurrency),
    defaults,
    overrides: {
      ...(flags.concurrency ? { concurrency: flags.concurrency } : {}),
      ...(flags['compression-level'] ? { 'compression-level': flags['compression-level'] } : {})
    },
    root: '',
    running: new Set(),
    problems: [],
    targets: []
  }
}
