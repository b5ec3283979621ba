/**
 * 10. Locating reported paths in the repository's files (issue 30: a tree of 100,000 files maps
 * in at most 300 ms, and twice the files cost at most 2.3x the CPU). For trees of 50,000 and
 * 100,000 files it indexes the list and locates 1,000 reported paths, CPU from
 * process.cpuUsage after a full collection; the ratio is the median of each repetition's,
 * whose two sizes run back to back. Parsing the trees API's answer is shown beside it, outside
 * the targets. In-process: no action is run.
 */
import { randomInts } from '../../__fixtures__/random-ints.js'
import { RepoFiles } from '../../src/locate/repo-files.js'
import { readTree } from '../../src/locate/tree-files.js'
import { exposeCollector } from '../../src/memory/gc-pacer.js'
import { check, type Workload } from './context.js'
import { median, num, pad } from './report.js'

const SIZES = [50_000, 100_000]
const LOOKUPS = 1_000
const collector = exposeCollector()

const FOLDERS = ['src', 'main', 'test', 'java', 'com', 'example', 'lib', 'internal', 'util', 'api']
const NAMES = ['index.ts', 'pom.xml', 'README.md', 'mod.rs', 'main.go', '__init__.py', 'App.kt']

/**
 * A monorepo of `count` files: packages of modules of folders 2 to 7 deep, with the common
 * names (`index.ts`, `pom.xml`, …) repeated everywhere, as real trees have them.
 */
function makeTree(count: number): string[] {
  const next = randomInts(count)
  const files = new Set<string>()
  for (let i = 0; files.size < count; i++) {
    const depth = 2 + next(6)
    const folders = Array.from({ length: depth }, () => FOLDERS[next(FOLDERS.length)])
    const name =
      next(4) === 0 ? NAMES[next(NAMES.length)] : `File${i}.${['ts', 'java', 'go'][i % 3]}`
    files.add(`packages/p${next(200)}/${folders.join('/')}/${name}`)
  }
  return [...files]
}

/** Reported paths as the logs print them: agents' absolute paths, masked, Windows, unknown. */
function reportedPaths(files: string[]): { reported: string; expected?: string }[] {
  const next = randomInts(LOOKUPS)
  return Array.from({ length: LOOKUPS }, (_, i) => {
    const file = files[next(files.length)]
    switch (i % 5) {
      case 0:
        return { reported: `/devcloud/ws/s1a2b/workspace/j_9f8e/${file}`, expected: file }
      case 1:
        return { reported: `***/${file}`, expected: file }
      case 2:
        return { reported: `C:\\agent\\_work\\1\\s\\${file.replace(/\//g, '\\')}`, expected: file }
      case 3:
        return { reported: `/opt/agent_1/workspace/j_1/src/Missing${i}.java` }
      default:
        // Only the last segments: a tie or a match, whatever the tree holds.
        return { reported: file.split('/').slice(-2).join('/') }
    }
  })
}

/** CPU ms of `work`, after a full collection, so that no earlier run's garbage is counted. */
function cpuMs(work: () => void): number {
  collector?.({ type: 'major', execution: 'sync' })
  const start = process.cpuUsage()
  work()
  const used = process.cpuUsage(start)
  return (used.user + used.system) / 1000
}

export default {
  ids: ['10'],
  async run(bench) {
    const reps = bench.quick ? 5 : 9
    const cases = SIZES.map(size => {
      const files = makeTree(size)
      const body = JSON.stringify({
        sha: '0'.repeat(40),
        tree: files.map(path => ({ path, mode: '100644', type: 'blob', sha: '0'.repeat(40) })),
        truncated: false
      })
      return { files, body, lookups: reportedPaths(files) }
    })
    const rows = SIZES.map(files => ({
      files,
      parse: [] as number[],
      index: [] as number[],
      locate: [] as number[],
      total: [] as number[]
    }))
    for (let rep = 0; rep < reps; rep++) {
      // Both sizes back to back, in turn first, so a change of load falls on both sides.
      for (const n of rep % 2 === 0 ? [0, 1] : [1, 0]) {
        const { files, body, lookups } = cases[n]
        const row = rows[n]
        row.parse.push(cpuMs(() => readTree(body)))
        let index: RepoFiles | undefined
        const indexMs = cpuMs(() => {
          index = new RepoFiles(files)
        })
        const found: (string | undefined)[] = []
        const locateMs = cpuMs(() => {
          for (const { reported } of lookups) found.push(index?.locate(reported))
        })
        row.index.push(indexMs)
        row.locate.push(locateMs)
        row.total.push(indexMs + locateMs)
        const wrong = lookups.filter(
          ({ expected }, i) => expected !== undefined && found[i] !== expected
        ).length
        check(bench, wrong === 0, `10: ${wrong} reported paths of known files were not located`)
      }
    }
    console.log(
      `\n10. locating ${LOOKUPS} reported paths in a tree: CPU ms, median of ${reps}` +
        (collector ? '' : ' (V8 refused gc: figures include earlier garbage)')
    )
    console.log(
      `  ${pad('files', 10)}${'parse JSON'.padStart(12)}${'index'.padStart(10)}${'locate'.padStart(10)}${'both'.padStart(10)}`
    )
    for (const row of rows) {
      const cells = [row.parse, row.index, row.locate, row.total].map(v => num(median(v), 1))
      console.log(
        `  ${pad(String(row.files), 10)}${cells[0].padStart(12)}${cells
          .slice(1)
          .map(c => c.padStart(10))
          .join('')}`
      )
    }
    const ratios = rows[1].total.map((ms, rep) => ms / rows[0].total[rep])
    bench.targets.push(
      {
        name: '10 locate in 100,000 files',
        value: median(rows[1].total),
        op: '<=',
        limit: 300,
        unit: ' ms'
      },
      { name: '10 locate: 2x files / 1x', value: median(ratios), op: '<=', limit: 2.3, unit: '×' }
    )
  }
} satisfies Workload
