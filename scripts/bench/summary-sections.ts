/**
 * 8. A job's build read with and without the summary's own requests (the unit test report and the
 * build's outputs), every request answered after the link's latency: the sections' requests go
 * first in the pool of the log downloads, so they should cost next to nothing.
 */
import * as fs from 'node:fs/promises'
import { startCodeArts } from '../../__fixtures__/codearts-server.js'
import {
  ACTION_ENTRY,
  NODE24,
  parseOutputFile,
  prepareStep
} from '../../__fixtures__/run-action.js'
import { RECORD_ID, TOKEN } from '../../__fixtures__/sample.js'
import { check, type Workload } from './context.js'
import { stageNames } from './log-server.js'
import { measure } from './measure.js'
import { alternate, median, num, printSeries, Series } from './report.js'

const SECTIONS_JOB = 'b'.repeat(32)

export default {
  ids: ['8'],
  async run(bench) {
    const stages = stageNames(bench.sizes.sectionStages)
    const latency = bench.sizes.sectionLatencyMs
    const log = '[2025/06/26 14:23:32.169 GMT+08:00] [INFO] [build] : a line of the log\n'.repeat(
      2000
    )
    const t0 = Date.UTC(2024, 5, 26, 8, 25, 9)
    const api = await startCodeArts({
      token: TOKEN,
      answerDelayMs: latency,
      logs: { [RECORD_ID]: Object.fromEntries(stages.map(s => [s, log])) },
      stages: {
        [RECORD_ID]: Object.fromEntries(
          stages.map((stage, i) => [
            stage,
            {
              display_name: `Action ${i + 1}`,
              status: 'success',
              start_time: t0 + i * 10_000,
              finish_time: t0 + (i + 1) * 10_000
            }
          ])
        )
      },
      records: { [`${SECTIONS_JOB}/7`]: { build_record_id: RECORD_ID, build_no: 7 } },
      testReports: {
        [`${SECTIONS_JOB}/7`]: { summary: { total: 412, success: 410, failures: 2 } }
      },
      buildOutputs: {
        [`${SECTIONS_JOB}/7`]: { package_info: { name: 'app', version: '1.0.0', uri: 'a.jar' } }
      }
    })
    const run = async (summary: boolean, series: Series): Promise<void> => {
      const { root, workspace, outputFile, summaryFile, env } = await prepareStep(
        {
          ...bench.defaults,
          'job-id': SECTIONS_JOB,
          'build-number': '7',
          token: TOKEN,
          endpoint: api.url,
          upload: 'false',
          summary: String(summary),
          ...bench.overrides
        },
        {},
        bench.root
      )
      const since = api.requests.length
      try {
        const m = await measure(bench, NODE24, [ACTION_ENTRY], { env, cwd: workspace, rss: false })
        const who = `sections ${summary ? 'on' : 'off'}`
        check(bench, m.code === 0, `${who} exited ${m.code}:\n${m.stdout}\n${m.stderr}`)
        const asked = api.requests.slice(since).map(r => r.path)
        const extra = asked.filter(p => p.endsWith('/summary') || p.endsWith('/output-info'))
        check(bench, extra.length === (summary ? 2 : 0), `${who}: ${extra.length} section requests`)
        const outputs = parseOutputFile(await fs.readFile(outputFile, 'utf8'))
        const text = await fs.readFile(summaryFile, 'utf8')
        check(
          bench,
          !summary || (text.includes('### Tests') && outputs.packages?.includes('"app"') === true),
          `${who}: no Tests section or packages output`
        )
        series.add(m)
      } finally {
        await fs.rm(root, { recursive: true, force: true })
      }
    }
    try {
      const on = new Series('action, summary: true (2 more requests)')
      const off = new Series('action, summary: false')
      await alternate(bench.reps, [() => run(true, on), () => run(false, off)])
      printSeries(
        `8. summary sections: a job's build of ${stages.length} actions, ${latency} ms per request, C=${bench.concurrency}`,
        [on, off]
      )
      const cost = (median(on.wall) - median(off.wall)) / 1000
      console.log(`  the sections cost ${num(cost * 1000)} ms (difference of the medians)`)
      bench.targets.push({
        name: `8 sections' cost at ${latency} ms`,
        value: cost,
        op: '<=',
        limit: 0.4,
        unit: ' s'
      })
    } finally {
      await api.close()
    }
  }
} satisfies Workload
