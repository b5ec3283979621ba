/**
 * Benchmark of the bundled action against bare Node.js, curl and gzip baselines on local emulators.
 * `npm run bench` is the full run for people; `npm run bench -- --quick` is the CI guard.
 * Flags: --quick, --reps N, --only 1,2,3,4,5,7,8,9,10 (every workload by default), --concurrency N,
 * --compression-level N.
 *
 * Each workload is a file of this folder whose default export is a `Workload`; adding one is
 * that file and one line in WORKLOADS. The helpers they share: log-generator.ts (seeded logs
 * with reference counts), log-server.ts (the emulator serving them), measure.ts (child
 * processes: time, RSS, CPU), runners.ts (the action and the baselines, checked byte for byte)
 * and report.ts (medians, tables, targets).
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import * as fs from 'node:fs/promises'
import * as os from 'node:os'
import * as path from 'node:path'
import { performance } from 'node:perf_hooks'
import { ACTION_ENTRY, NODE24 } from '../../__fixtures__/run-action.js'
import { benchFromArgs, GiB, selected, type Bench, type Workload } from './context.js'
import { killGroup } from './measure.js'
import { num, pad } from './report.js'

/** Every workload, in the order they run. */
const WORKLOADS: (() => Promise<{ default: Workload }>)[] = [
  () => import('./many-stages.js'),
  () => import('./throughput.js'),
  () => import('./memory-and-upload.js'),
  () => import('./startup.js'),
  () => import('./follow.js'),
  () => import('./summary-sections.js'),
  () => import('./scanner.js'),
  () => import('./locate.js')
]

const loadAverage = (): string =>
  os
    .loadavg()
    .map(l => num(l, 2))
    .join(' ')

/** Prints the targets and the correctness checks; the exit code: 1 when any failed. */
function verdict(bench: Bench): number {
  console.log(
    `\ntargets${bench.quick ? ' (quick: small sizes, so reported only; not the real targets)' : ''}`
  )
  let missed = 0
  for (const t of bench.targets) {
    const margin = t.op === '<=' ? (t.limit - t.value) / t.limit : (t.value - t.limit) / t.limit
    const met = margin >= 0
    if (!met && !bench.quick) missed++
    console.log(
      `  ${pad(t.name, 36)}${`${num(t.value, 2)}${t.unit}`.padStart(12)}  ${t.op === '<=' ? '≤' : '≥'} ${t.limit}${t.unit}  ${met ? 'met' : bench.quick ? 'miss (info)' : 'MISSED'} (${margin >= 0 ? '+' : ''}${num(margin * 100)}%)`
    )
  }
  const { problems } = bench
  console.log(
    `  6 checks: ${problems.length === 0 ? 'every byte received equals every byte served, every summary count equals the reference count' : `${problems.length} problem(s)`}`
  )
  for (const p of problems) console.log(`    ✗ ${p}`)
  return problems.length > 0 || missed > 0 ? 1 : 0
}

async function main(): Promise<number> {
  const started = performance.now()
  const bench = benchFromArgs(process.argv.slice(2))
  const workloads = (await Promise.all(WORKLOADS.map(load => load()))).map(m => m.default)
  const chosen = workloads.filter(w => w.ids.some(id => selected(bench, id)))
  const known = workloads.flatMap(w => w.ids)
  const unknown = [...(bench.only ?? [])].filter(id => !known.includes(id))
  if (unknown.length > 0) {
    throw new Error(`--only names no workload ${unknown.join(', ')}; known: ${known.join(', ')}`)
  }
  const free = await fs.statfs(os.tmpdir())
  if (free.bavail * free.bsize < bench.sizes.diskNeeded) {
    throw new Error(
      `${os.tmpdir()} has ${num((free.bavail * free.bsize) / GiB, 1)} GiB free; the bench needs ${bench.sizes.diskNeeded / GiB} GiB`
    )
  }
  bench.root = await fs.mkdtemp(path.join(os.tmpdir(), 'cbl-bench-'))
  const cleanUp = (): void => {
    for (const pid of bench.running) killGroup(pid)
    void fs.rm(bench.root, { recursive: true, force: true }).finally(() => process.exit(130))
  }
  process.once('SIGINT', cleanUp)
  process.once('SIGTERM', cleanUp)
  const concurrency = bench.overrides.concurrency ? `, overridden to ${bench.concurrency}` : ''
  console.log(
    `${bench.quick ? 'quick' : 'full'} bench, ${bench.reps} repetitions, ${os.cpus().length} CPUs, Node ${process.version} (action under ${NODE24}), dist/index.js sha256 ${createHash('sha256').update(readFileSync(ACTION_ENTRY)).digest('hex').slice(0, 12)}, action.yml concurrency default ${bench.defaults.concurrency}${concurrency}, load average ${loadAverage()}`
  )
  try {
    for (const workload of chosen) await workload.run(bench)
  } finally {
    await fs.rm(bench.root, { recursive: true, force: true })
  }
  const code = verdict(bench)
  console.log(
    `\nload average ${loadAverage()}; bench process peak RSS ${num(process.resourceUsage().maxRSS / 1024)} MiB; took ${num((performance.now() - started) / 1000, 1)} s`
  )
  return code
}

process.exitCode = await main()
