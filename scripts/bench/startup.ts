/** 4. Start-up: from the process's start to its first request at the emulator, against node -e. */
import { NODE24 } from '../../__fixtures__/run-action.js'
import { TOKEN } from '../../__fixtures__/sample.js'
import { check, KiB, type Workload } from './context.js'
import { startLogServer, type Track } from './log-server.js'
import { measure, type Measured } from './measure.js'
import { alternate, printSeries, ratioTarget, Series } from './report.js'
import { checkTrack, runAction } from './runners.js'

export default {
  ids: ['4'],
  async run(bench) {
    const server = await startLogServer(new Map([['stage1', 64 * KiB]]), 0, bench.problems)
    const script = `require('node:http').get(process.argv[1], { headers: { 'X-Auth-Token': process.env.T } }, r => { r.resume(); r.on('end', () => process.exit(r.statusCode === 200 ? 0 : 1)) })`
    try {
      const action = new Series('action (upload: false)', 'first request')
      const bare = new Series('node -e http.get', 'first request')
      const first = (m: Measured, t: Track): number => (t.arrivals[0] ?? NaN) - m.startedAt
      // Untimed: the first start of a binary pays for cold page cache, which neither should.
      await runAction(bench, server, ['stage1'], { upload: false, rss: false })
      await alternate(bench.sizes.startupReps, [
        async () => {
          const r = await runAction(bench, server, ['stage1'], { upload: false, rss: false })
          action.add(r.m, first(r.m, r.track))
        },
        async () => {
          const track = server.track()
          const m = await measure(bench, NODE24, ['-e', script, server.url('stage1')], {
            env: { T: TOKEN },
            rss: false
          })
          check(bench, m.code === 0, `node -e exited ${m.code}: ${m.stderr}`)
          checkTrack(bench, 'node -e', track, ['stage1'], 1)
          bare.add(m, first(m, track))
        }
      ])
      printSeries('4. start-up: process start → first request at the emulator', [action, bare])
      ratioTarget(bench, '4 start-up action / node -e', action.extra, bare.extra, '<=', 2)
    } finally {
      await server.api.close()
    }
  }
} satisfies Workload
