/**
 * `npm run fingerprints`: plans the byte pass's filter for the scanner's triggers, and writes the
 * plan to src/download/fingerprint-plans.ts. Run it after changing the recognisers' triggers: a
 * test fails while the triggers have no plan. It takes about 20 s.
 *
 * Why: the kernel's filter (src/download/scan-kernel.ts) lets a position through when the three
 * bytes there fit the nibbles of one bucket's fingerprints, and each 64-byte step that lets one
 * through costs the kernel's slow path. Which bytes of each trigger are its fingerprint, and which
 * fingerprints share a bucket, decide how often ordinary lines do. The kernel's own plan, from
 * rough weights of bytes, lets 35 % of the steps of the bench's generated log through, mostly on
 * Maven's `Tests run: …, Failures: 0, …` lines. This plan is searched against every tool output
 * captured in this repository (`capturedLogs`): passing builds of Maven, make, CMake, go, pytest,
 * cargo, npm, Jest, apt and git, and the failures the recognisers are tested on, behind CodeArts'
 * prefixes. A poor sample costs speed, never a finding: the kernel checks every position that
 * passes, whatever the plan.
 *
 * The search (`improve`): round after round, each trigger in turn moves to the window of its bytes
 * and the bucket that lower the cost the most, until a round moves none. A bucket's cost is the
 * share of the logs' runs of three bytes it lets through (`passModel`). One search ends in one of
 * many local minima, so it starts from the kernel's own plan and from RESTARTS random ones, and
 * the cheapest is kept. On an earlier set of these logs, one search let through 32 % and 43 % of
 * the steps of this project's `.ci/run` and `npm test` output, and the cheapest of 13, 14 % and
 * 21 %.
 *
 * Measured with these logs (`npm run fingerprints -- <logs>`): the generated log of the bench lets
 * 26.8 % of its steps through (34.8 % with the kernel's own plan), this project's `.ci/run` output
 * 9.9 % (41.8 %) and its `npm test` output 7.6 % (55.2 %).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import * as path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import * as prettier from 'prettier'
import { asCodeArtsLog } from '../__fixtures__/recognise.js'
import { scannerTriggers } from '../src/download/log-scanner.js'
import { mulberry32 } from './bench/log-generator.js'
import {
  BUCKETS,
  FINGERPRINT,
  STEP,
  bucketMass,
  bucketsOf,
  letsThrough,
  modelPlan,
  triggersKey,
  type Bucket,
  type FingerprintPlan
} from '../src/download/scan-kernel.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const CAPTURES = ['ordinary-logs', 'failures'].map(dir => path.join(ROOT, '__fixtures__', dir))
const PLANS_FILE = path.join(ROOT, 'src', 'download', 'fingerprint-plans.ts')
/** Rounds of one search at most, so that it ends whatever the logs. */
const MAX_ROUNDS = 10
/** Searches from the kernel's own plan and from this many seeded random plans; the best is kept. */
const RESTARTS = 12

/**
 * The logs the plan is searched against: every tool output captured in this repository, the
 * passing builds of `__fixtures__/ordinary-logs` and the failures of `__fixtures__/failures`
 * (`<project>/output*.txt`), each behind CodeArts' prefixes. The failures' triggers cost every
 * plan the same; their other lines are what test runs and compilers print around a failure.
 */
export function capturedLogs(): Buffer[] {
  return CAPTURES.flatMap(dir =>
    readdirSync(dir, { withFileTypes: true })
      .filter(entry => entry.isDirectory())
      .map(entry => path.join(dir, entry.name))
  )
    .sort()
    .flatMap(project => {
      const outputs = readdirSync(project).filter(name => /^output.*\.txt$/.test(name))
      if (outputs.length === 0) throw new Error(`${project} holds no output*.txt`)
      return outputs.sort().map(name => path.join(project, name))
    })
    .map(file => Buffer.from(asCodeArtsLog(readFileSync(file, 'utf8'))))
}

/**
 * How much of `logs` passes a bucket's filter: the runs of three bytes it lets through, each run
 * counted as its share of its log's runs (each log weighs the same, however long), the runs the
 * logs lack ranked by the kernel's weights, far below.
 */
export function passModel(logs: readonly Uint8Array[]): (bucket: Bucket) => number {
  const runs = new Map<string, { run: Uint8Array; weight: number }>()
  for (const log of logs) {
    const text = Buffer.from(log).toString('latin1')
    const share = 1 / Math.max(1, log.length - FINGERPRINT + 1)
    for (let i = 0; i + FINGERPRINT <= log.length; i++) {
      const key = text.slice(i, i + FINGERPRINT)
      const found = runs.get(key)
      if (found) found.weight += share
      else runs.set(key, { run: log.subarray(i, i + FINGERPRINT), weight: share })
    }
  }
  const all = [...runs.values()]
  return bucket => {
    let passes = 0
    for (const { run, weight } of all) if (letsThrough(bucket, run, 0)) passes += weight
    return passes + bucketMass(bucket) / 1e12
  }
}

/**
 * Improves `plan` one trigger at a time: each moves to the window of its bytes and the bucket that
 * lower the cost the most, round after round, until a round moves none. Returns the plan and its
 * cost.
 */
function improve(
  triggers: readonly Uint8Array[],
  plan: FingerprintPlan,
  cost: (bucket: Bucket) => number
): { plan: FingerprintPlan; cost: number } {
  const at = [...plan.at]
  const bucket = [...plan.bucket]
  const costs = bucketsOf(triggers, { at, bucket }).map(cost)
  for (let round = 0, moved = true; moved && round < MAX_ROUNDS; round++) {
    moved = false
    for (const [t, trigger] of triggers.entries()) {
      const [from, fromAt] = [bucket[t], at[t]]
      let best = { b: from, w: fromAt, gain: 0, fromCost: costs[from], toCost: costs[from] }
      for (let w = 0; w <= Math.max(0, trigger.length - FINGERPRINT); w++)
        for (let b = 0; b < BUCKETS; b++) {
          if (b === from && w === fromAt) continue
          ;[bucket[t], at[t]] = [b, w]
          const buckets = bucketsOf(triggers, { at, bucket })
          const fromCost = cost(buckets[from])
          const toCost = b === from ? fromCost : cost(buckets[b])
          // Moving within its bucket changes one bucket's cost; moving out of it, two.
          const gain =
            b === from ? costs[from] - fromCost : costs[from] + costs[b] - fromCost - toCost
          if (gain > best.gain) best = { b, w, gain, fromCost, toCost }
        }
      ;[bucket[t], at[t]] = [best.b, best.w]
      if (best.b === from && best.w === fromAt) continue
      moved = true
      costs[from] = best.fromCost
      costs[best.b] = best.b === from ? best.fromCost : best.toCost
    }
  }
  return { plan: { at, bucket }, cost: costs.reduce((sum, c) => sum + c, 0) }
}

/**
 * The plan for `triggers` that `passModel` of `logs` says lets the fewest positions through,
 * as searched here: improved from the kernel's own plan and from RESTARTS random ones (seeded, so
 * the result is the same each time), the cheapest kept. See the module's comment on why.
 */
export function planFingerprints(
  triggers: readonly string[],
  logs: readonly Uint8Array[]
): FingerprintPlan {
  const bytes = triggers.map(trigger => Buffer.from(trigger))
  const cost = passModel(logs)
  const random = mulberry32(20261207)
  const pick = (n: number): number => random() % n
  const starts = [modelPlan(bytes)]
  for (let r = 0; r < RESTARTS; r++)
    starts.push({
      at: bytes.map(trigger => pick(Math.max(1, trigger.length - FINGERPRINT + 1))),
      bucket: bytes.map(() => pick(BUCKETS))
    })
  const searched = starts.map(start => improve(bytes, start, cost))
  return searched.reduce((best, found) => (found.cost < best.cost ? found : best)).plan
}

/** The text of fingerprint-plans.ts holding the plan for `triggers`. */
function plansSource(triggers: readonly string[], plan: FingerprintPlan): string {
  const key = JSON.stringify(triggersKey(triggers))
  return `// Written by \`npm run fingerprints\` (scripts/fingerprints.ts); do not edit.

/** The byte pass's plans (scan-kernel.ts), by the JSON of the list of triggers each is for. */
export const FINGERPRINT_PLANS = new Map<string, { at: number[]; bucket: number[] }>([
  [
    ${key},
    {
      at: ${JSON.stringify(plan.at)},
      bucket: ${JSON.stringify(plan.bucket)}
    }
  ]
])
`
}

/**
 * The share of `text`'s steps in which the filter of `plan` lets some position through: the steps
 * that cost the kernel's slow path, whether or not they hold a trigger.
 */
function stepsLetThrough(
  triggers: readonly string[],
  plan: FingerprintPlan,
  text: Uint8Array
): number {
  const buckets = bucketsOf(
    triggers.map(trigger => Buffer.from(trigger)),
    plan
  )
  let steps = 0
  let through = 0
  for (let step = 0; step < text.length; step += STEP, steps++)
    for (let i = step; i < Math.min(step + STEP, text.length); i++)
      if (buckets.some(bucket => letsThrough(bucket, text, i))) {
        through++
        break
      }
  return steps === 0 ? 0 : through / steps
}

// Writes the plan, then shows what the filter lets through with the kernel's own plan and with
// this one: in the sample, and in each file named on the command line (logs of your own builds).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const triggers = scannerTriggers()
  const logs = capturedLogs()
  const plan = planFingerprints(triggers, logs)
  const options = await prettier.resolveConfig(PLANS_FILE)
  const source = await prettier.format(plansSource(triggers, plan), {
    ...options,
    filepath: PLANS_FILE
  })
  writeFileSync(PLANS_FILE, source)
  console.log(
    `Wrote the plan for ${triggers.length} triggers to ${path.relative(ROOT, PLANS_FILE)}`
  )
  const own = modelPlan(triggers.map(trigger => Buffer.from(trigger)))
  console.log(
    "64-byte steps the filter lets through, with the kernel's own plan and with this one:"
  )
  const texts = [
    { name: 'the sample', text: Buffer.concat(logs) },
    ...process.argv.slice(2).map(file => ({ name: file, text: readFileSync(file) }))
  ]
  for (const { name, text } of texts) {
    const shares = [own, plan].map(
      p => `${(100 * stepsLetThrough(triggers, p, text)).toFixed(1)} %`
    )
    console.log(`  ${name}: ${shares.join(', ')}`)
  }
}
