/**
 * 3 and 5. One log, alone or uploaded to the results emulator: peak RSS that does not grow with
 * the log (3), and the upload phase against gzip -6 of the same file (5).
 */
import * as fs from 'node:fs/promises'
import * as path from 'node:path'
import { check, KiB, MiB, selected, type Workload } from './context.js'
import { startLogServer } from './log-server.js'
import { measure } from './measure.js'
import { alternate, median, num, printSeries, ratioTarget, Series } from './report.js'
import { runAction } from './runners.js'

export default {
  ids: ['3', '5'],
  async run(bench) {
    const { sizes } = bench
    const server = await startLogServer(
      new Map([
        ['stage2', sizes.memBig],
        ['stage3', sizes.memHuge]
      ]),
      0,
      bench.problems
    )
    const devNull = await fs.open('/dev/null', 'w')
    try {
      const plain = new Series(`action, ${sizes.memBig / MiB} MiB log, no upload`)
      const huge = new Series(`action, ${sizes.memHuge / MiB} MiB log, no upload`)
      const big = new Series(`action, ${sizes.memBig / MiB} MiB log, upload`, 'upload phase')
      const gzip = new Series(`gzip -6 of the same ${sizes.memBig / MiB} MiB`)
      const zipBytes: number[] = []
      const blocks: number[] = []
      const runners = [
        async () => {
          const r = await runAction(bench, server, ['stage2'], {
            upload: true,
            // gzip reads the very file the action zipped, while it is still on disk.
            keep: async dir => {
              if (selected(bench, '5')) {
                const file = path.join(dir, 'stage2.log')
                const m = await measure(bench, 'gzip', ['-6', '-c', file], {
                  rss: true,
                  stdout: devNull.fd
                })
                check(bench, m.code === 0, `gzip exited ${m.code}: ${m.stderr}`)
                gzip.add(m)
              }
            }
          })
          // From the last log byte sent to the exit: closing the file, zipping, uploading, finalizing.
          big.add(r.m, r.m.exitedAt - r.track.lastFinish)
          zipBytes.push(r.artifact?.bytes ?? 0)
          blocks.push(r.artifact?.blocks ?? 0)
        }
      ]
      if (selected(bench, '3')) {
        runners.push(
          async () => plain.add((await runAction(bench, server, ['stage2'], { upload: false })).m),
          async () => huge.add((await runAction(bench, server, ['stage3'], { upload: false })).m)
        )
      }
      await alternate(bench.reps, runners)
      printSeries(`3/5. one log, alone or uploaded to the results emulator`, [
        plain,
        huge,
        big,
        gzip
      ])
      const level = bench.overrides['compression-level'] ?? bench.defaults['compression-level']
      console.log(
        `  artifact zip: ${num(median(zipBytes) / MiB, 1)} MiB for ${sizes.memBig / MiB} MiB of log (compression-level ${level}), staged in ${median(blocks)} blocks; a body over the results emulator's 256 MiB cap would have failed the upload`
      )
      if (selected(bench, '3')) {
        bench.targets.push(
          {
            name: `3a peak RSS, ${sizes.memBig / MiB} MiB log, upload`,
            value: median(big.rss) / KiB,
            op: '<=',
            limit: 150,
            unit: ' MiB'
          },
          {
            name: `3b RSS ${sizes.memHuge / MiB} − ${sizes.memBig / MiB} MiB log`,
            value: (median(huge.rss) - median(plain.rss)) / KiB,
            op: '<=',
            limit: 8,
            unit: ' MiB'
          }
        )
      }
      if (selected(bench, '5')) {
        ratioTarget(bench, '5 upload phase / gzip -6', big.extra, gzip.wall, '<=', 1.5)
      }
    } finally {
      await devNull.close()
      await server.api.close()
    }
  }
} satisfies Workload
