/** 1. Many small stages behind a slow gateway: the pool against curl --parallel and a curl loop. */
import { check, KiB, type Workload } from './context.js'
import { startLogServer, stageNames } from './log-server.js'
import { alternate, printSeries, ratioTarget, Series } from './report.js'
import { runAction, runCurl } from './runners.js'

export default {
  ids: ['1'],
  async run(bench) {
    const { sizes, concurrency } = bench
    const stages = stageNames(sizes.manyStages)
    const server = await startLogServer(
      new Map(stages.map(s => [s, sizes.manyBytes])),
      sizes.latencyMs,
      bench.problems
    )
    try {
      const action = new Series('action (upload: false)')
      let peak = 0
      const par = new Series(`curl --parallel --parallel-max ${concurrency}`)
      const loop = new Series('curl sequential loop')
      await alternate(bench.reps, [
        async () => {
          const r = await runAction(bench, server, stages, { upload: false })
          action.add(r.m)
          peak = Math.max(peak, r.track.peakInFlight)
        },
        async () => par.add(await runCurl(bench, server, stages, concurrency)),
        async () => loop.add(await runCurl(bench, server, stages, 'loop'))
      ])
      printSeries(
        `1. ${stages.length} stages × ${sizes.manyBytes / KiB} KiB, ${sizes.latencyMs} ms latency, C=${concurrency}`,
        [action, par, loop]
      )
      console.log(`  the action had at most ${peak} requests in flight`)
      // The latency keeps every worker's request open together, so anything short of C is a pool bug.
      const want = Math.min(concurrency, stages.length)
      check(bench, peak === want, `action had at most ${peak} requests in flight, expected ${want}`)
      ratioTarget(bench, '1a action / curl --parallel', action.wall, par.wall, '<=', 1.25)
      ratioTarget(bench, '1b curl loop / action', loop.wall, action.wall, '>=', 4)
    } finally {
      await server.api.close()
    }
  }
} satisfies Workload
