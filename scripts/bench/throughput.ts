/** 2. A few big stages at once with no latency: the action against bare Node.js and curl. */
import { MiB, type Workload } from './context.js'
import { startLogServer, stageNames } from './log-server.js'
import { alternate, median, num, printSeries, ratioTarget, Series } from './report.js'
import { runAction, runBareNode, runCurl } from './runners.js'

export default {
  ids: ['2'],
  async run(bench) {
    const { sizes, concurrency } = bench
    const stages = stageNames(sizes.bigStages)
    const server = await startLogServer(
      new Map(stages.map(s => [s, sizes.bigBytes])),
      0,
      bench.problems
    )
    try {
      const action = new Series('action (upload: false)')
      const bare = new Series('bare node http.get → pipeline → file')
      const par = new Series(`curl --parallel --parallel-max ${concurrency}`)
      await alternate(bench.reps, [
        async () => action.add((await runAction(bench, server, stages, { upload: false })).m),
        async () => bare.add(await runBareNode(bench, server, stages)),
        async () => par.add(await runCurl(bench, server, stages, concurrency))
      ])
      const total = (stages.length * sizes.bigBytes) / MiB
      const rate = (s: Series): string => `${num(total / (median(s.wall) / 1000))} MiB/s`
      printSeries(`2. ${stages.length} stages × ${sizes.bigBytes / MiB} MiB at once, no latency`, [
        action,
        bare,
        par
      ])
      console.log(
        `  throughput: action ${rate(action)}, bare node ${rate(bare)}, curl ${rate(par)}; curl / bare node ${num(median(par.wall) / median(bare.wall), 2)}×`
      )
      ratioTarget(bench, '2 action / bare node', action.wall, bare.wall, '<=', 1.3)
    } finally {
      await server.api.close()
    }
  }
} satisfies Workload
