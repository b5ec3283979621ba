/**
 * `npm run fingerprints`: plans the byte pass's filter for the scanner's triggers, and writes the
 * plan to src/download/fingerprint-plans.ts. Run it after changing the recognisers' triggers: a
 * test fails while the committed plan is not the one this script computes.
 *
 * Why: the kernel's filter (src/download/scan-kernel.ts) lets a position through when the three
 * bytes there fit the nibbles of one bucket's fingerprints, and each step that lets one through
 * costs the kernel's slow path. Which bytes of each trigger are its fingerprint, and which
 * fingerprints share a bucket, decide how often ordinary lines do. The kernel's own plan, from
 * rough weights of bytes, let 35 % of the 64-byte steps of the bench's generated log through,
 * mostly on Maven's `Tests run: …, Failures: 0, …` lines. This plan is searched against a sample
 * of ordinary build-log lines (fingerprint-sample.txt): lines of Maven, Gradle, npm, make,
 * docker, go, pytest, Jest, cargo and git behind CodeArts' prefixes, written for this purpose and
 * not a capture. A poor sample costs speed, never a finding: the kernel checks every position
 * that passes, whatever the plan.
 *
 * The search starts from the kernel's own plan. Round after round, each trigger in turn moves to
 * the window of its bytes and the bucket that lower the cost the most, until a round moves none.
 * A bucket's cost is how many three-byte runs of the sample it lets through, plus a millionth of
 * its mass by the kernel's weights, which ranks the runs the sample lacks.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import * as path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import * as prettier from 'prettier'
import { scannerTriggers } from '../src/download/log-scanner.js'
import {
  BUCKETS,
  FINGERPRINT,
  STEP,
  bucketMass,
  bucketsOf,
  letsThrough,
  modelPlan,
  type Bucket,
  type FingerprintPlan
} from '../src/download/scan-kernel.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const SAMPLE_FILE = path.join(ROOT, 'scripts', 'fingerprint-sample.txt')
const PLANS_FILE = path.join(ROOT, 'src', 'download', 'fingerprint-plans.ts')
/** Rounds of the search at most, so that it ends whatever the sample (the registry's took 7). */
const MAX_ROUNDS = 10
/** How much less a unit of the weights' mass counts than a run of the sample let through. */
const MASS_SCALE = 1e6

/** The sample's distinct runs of FINGERPRINT bytes: where each first occurs, and how often. */
function runsOf(sample: Uint8Array): { firstAt: number[]; counts: number[] } {
  const runs = new Map<string, { at: number; count: number }>()
  const text = Buffer.from(sample).toString('latin1')
  for (let i = 0; i + FINGERPRINT <= sample.length; i++) {
    const run = runs.get(text.slice(i, i + FINGERPRINT))
    if (run) run.count++
    else runs.set(text.slice(i, i + FINGERPRINT), { at: i, count: 1 })
  }
  const all = [...runs.values()]
  return { firstAt: all.map(run => run.at), counts: all.map(run => run.count) }
}

/** The plan for `triggers` that lets the fewest positions of `sample` through, as searched here. */
export function planFingerprints(triggers: readonly string[], sample: Uint8Array): FingerprintPlan {
  const bytes = triggers.map(trigger => Buffer.from(trigger))
  const { firstAt, counts } = runsOf(sample)
  const cost = (bucket: Bucket): number => {
    let passed = 0
    for (let i = 0; i < firstAt.length; i++)
      if (letsThrough(bucket, sample, firstAt[i])) passed += counts[i]
    return passed + bucketMass(bucket) / MASS_SCALE
  }
  const start = modelPlan(bytes)
  const at = [...start.at]
  const bucket = [...start.bucket]
  const costs = bucketsOf(bytes, { at, bucket }).map(cost)
  for (let round = 0, moved = true; moved && round < MAX_ROUNDS; round++) {
    moved = false
    for (const [t, trigger] of bytes.entries()) {
      const [from, fromAt] = [bucket[t], at[t]]
      let best = { b: from, w: fromAt, gain: 0, fromCost: costs[from], toCost: costs[from] }
      for (let w = 0; w <= Math.max(0, trigger.length - FINGERPRINT); w++)
        for (let b = 0; b < BUCKETS; b++) {
          if (b === from && w === fromAt) continue
          ;[bucket[t], at[t]] = [b, w]
          const buckets = bucketsOf(bytes, { at, bucket })
          const fromCost = cost(buckets[from])
          const toCost = b === from ? fromCost : cost(buckets[b])
          const gain =
            costs[from] + (b === from ? 0 : costs[b]) - fromCost - (b === from ? 0 : toCost)
          if (gain > best.gain) best = { b, w, gain, fromCost, toCost }
        }
      ;[bucket[t], at[t]] = [best.b, best.w]
      if (best.b === from && best.w === fromAt) continue
      moved = true
      costs[from] = best.fromCost
      costs[best.b] = best.b === from ? best.fromCost : best.toCost
    }
  }
  return { at, bucket }
}

/** The text of fingerprint-plans.ts holding the plan for `triggers`. */
function plansSource(triggers: readonly string[], plan: FingerprintPlan): string {
  const key = JSON.stringify(JSON.stringify(triggers))
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
  const plan = planFingerprints(triggers, readFileSync(SAMPLE_FILE))
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
  for (const file of [SAMPLE_FILE, ...process.argv.slice(2)]) {
    const text = readFileSync(file)
    const shares = [own, plan].map(
      p => `${(100 * stepsLetThrough(triggers, p, text)).toFixed(1)} %`
    )
    console.log(`  ${path.relative(process.cwd(), file)}: ${shares.join(', ')}`)
  }
}
