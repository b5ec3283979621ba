/** 7. A build's log written at 1 MiB/s, followed by the action with poll-seconds 2; one run per answer size. */
import * as fs from 'node:fs/promises'
import * as path from 'node:path'
import { performance } from 'node:perf_hooks'
import { startCodeArts } from '../../__fixtures__/codearts-server.js'
import {
  ACTION_ENTRY,
  NODE24,
  parseAnnotations,
  prepareStep,
  readStdout
} from '../../__fixtures__/run-action.js'
import { RECORD_ID, TOKEN } from '../../__fixtures__/sample.js'
import { check, MiB, type Workload } from './context.js'
import { logChunks } from './log-generator.js'
import { measure } from './measure.js'
import { formatSize, num, pad } from './report.js'

export default {
  ids: ['7'],
  async run(bench) {
    const rate = 1 * MiB
    const pollSeconds = 2
    const whole = Buffer.concat([...logChunks(7, bench.sizes.followSeconds * rate, undefined)])
    // Whole lines only, so a log printed whole is exactly the text.
    const text = whole.subarray(0, whole.lastIndexOf(0x0a) + 1).toString('latin1')
    const jobId = 'f'.repeat(32)
    console.log(
      `\n7. follow: a build writing ${num(text.length / MiB, 1)} MiB of log at ${rate / MiB} MiB/s, followed with poll-seconds ${pollSeconds}; one run per answer size${bench.quick ? ' (quick: a short log, one answer size)' : ''}`
    )
    console.log(
      `  ${pad('most text per answer', 22)}${'CPU'.padStart(8)}${'wall s'.padStart(8)}${'end→exit s'.padStart(12)}${'poll gap s'.padStart(12)}${'printed'.padStart(9)}${'requests'.padStart(10)}${'peak/s'.padStart(8)}  notice`
    )
    for (const chunkBytes of bench.sizes.followAnswers) {
      const api = await startCodeArts({
        token: TOKEN,
        records: { [`${jobId}/1`]: { build_record_id: RECORD_ID, build_no: 1 } },
        stages: {
          [RECORD_ID]: {
            s1: { execution_stage_name: 'stage1', display_name: 'Build', status: 'success' }
          }
        },
        logs: { [RECORD_ID]: { stage1: text } },
        liveLogs: {
          [`${jobId}/1`]: {
            text,
            recordId: RECORD_ID,
            written: [],
            writtenPerSecond: rate,
            chunkBytes
          }
        }
      })
      const inputs: Record<string, string> = {
        ...bench.defaults,
        token: TOKEN,
        endpoint: api.url,
        'job-id': jobId,
        'build-number': '1',
        'wait-minutes': '10',
        'poll-seconds': String(pollSeconds),
        upload: 'false'
      }
      const { root, workspace, env } = await prepareStep(inputs, {}, bench.root)
      const stdoutFile = path.join(root, 'stdout')
      const out = await fs.open(stdoutFile, 'w')
      try {
        const m = await measure(bench, NODE24, [ACTION_ENTRY], {
          env,
          cwd: workspace,
          rss: true,
          stdout: out.fd
        })
        const who = `follow, answers of ${formatSize(chunkBytes)}`
        check(bench, m.code === 0, `${who}: exited ${m.code}: ${m.stderr}`)
        const stdout = await fs.readFile(stdoutFile, 'utf8')
        const { inert } = readStdout(stdout)
        const notices = parseAnnotations(stdout).filter(a => a.title === 'Live log not shown whole')
        const polls = api.requests
          .filter(r => r.path === `/v1/record/${RECORD_ID}/info`)
          .map(r => r.at)
        const live = api.requests.filter(r => r.path.endsWith('/real-time-log')).map(r => r.at)
        const gap = Math.max(...polls.slice(1).map((at, i) => at - polls[i])) / 1000
        const peak = Math.max(
          0,
          ...live.map(at => live.filter(t => t >= at && t < at + 1000).length)
        )
        const builtAt = polls[0] + (text.length / rate) * 1000
        const endToExit = (performance.timeOrigin + m.exitedAt - builtAt) / 1000
        const cpu = ((m.cpuMs ?? NaN) / m.wallMs) * 100
        const printed = (inert.length / text.length) * 100
        // Either the whole log once, in order, or its exact beginning and one notice saying how much.
        const said = `The job log shows the first ${formatSize(Buffer.byteLength(inert))} of the build's log;`
        check(
          bench,
          text.startsWith(inert),
          `${who}: the printed text is not the log's exact beginning`
        )
        check(
          bench,
          inert === text
            ? notices.length === 0
            : notices.length === 1 && notices[0].message.startsWith(said),
          `${who}: ${num(printed, 1)} % printed, with ${notices.length} notice(s): ${notices.map(n => n.message).join(' | ')}`
        )
        check(bench, peak <= 4, `${who}: ${peak} live log requests within one second`)
        console.log(
          `  ${pad(formatSize(chunkBytes), 22)}${`${num(cpu, 1)} %`.padStart(8)}${num(m.wallMs / 1000, 1).padStart(8)}${num(endToExit, 1).padStart(12)}${num(gap, 1).padStart(12)}${`${num(printed, 1)} %`.padStart(9)}${String(live.length).padStart(10)}${String(peak).padStart(8)}  ${notices[0]?.message ?? '—'}`
        )
        const size = formatSize(chunkBytes)
        bench.targets.push(
          { name: `7 CPU, answers of ${size}`, value: cpu, op: '<=', limit: 5, unit: ' %' },
          {
            name: `7 poll gap, answers of ${size}`,
            value: gap,
            op: '<=',
            limit: pollSeconds + 1,
            unit: ' s'
          },
          {
            name: `7 end → exit, answers of ${size}`,
            value: endToExit,
            op: '<=',
            limit: 15,
            unit: ' s'
          }
        )
      } finally {
        await out.close()
        await api.close()
        await fs.rm(root, { recursive: true, force: true })
      }
    }
  }
} satisfies Workload
