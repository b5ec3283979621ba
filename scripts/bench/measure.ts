/** Child processes, timed, with their peak RSS and CPU time. */
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import * as fs from 'node:fs/promises'
import * as path from 'node:path'
import { performance } from 'node:perf_hooks'
import type { Bench } from './context.js'

const GNU_TIME = '/usr/bin/time'

export interface Measured {
  code: number | null
  wallMs: number
  /** Peak RSS of the measured process, when asked for. */
  rssKiB?: number
  /** User plus system CPU time of the measured process, when GNU time measured it. */
  cpuMs?: number
  startedAt: number
  exitedAt: number
  stdout: string
  stderr: string
}

export function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL')
  } catch {
    // Already gone.
  }
}

/** Peak RSS by polling VmHWM, for machines without GNU time; misses only a last-moment rise. */
function pollHighWater(pid: number): () => number {
  let peak = 0
  const sample = (): void => {
    try {
      const kb = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
      if (kb) peak = Math.max(peak, Number(kb[1]))
    } catch {
      // The process has exited between two polls.
    }
  }
  const timer = setInterval(sample, 5)
  return () => {
    clearInterval(timer)
    return peak
  }
}

/** Runs `cmd` in a process group of its own, killed after the bench's time limit. */
export async function measure(
  bench: Bench,
  cmd: string,
  argv: string[],
  options: { env?: Record<string, string>; cwd?: string; rss: boolean; stdout?: number }
): Promise<Measured> {
  const useTime = options.rss && existsSync(GNU_TIME)
  const rssFile = path.join(bench.root, `time-${process.hrtime.bigint()}.txt`)
  const [file, args] = useTime ? [GNU_TIME, ['-v', '-o', rssFile, cmd, ...argv]] : [cmd, argv]
  const startedAt = performance.now()
  // A group of its own, so a timeout kills the measured process and not just GNU time.
  const child = spawn(file, args, {
    cwd: options.cwd,
    env: options.env ?? { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    stdio: ['ignore', options.stdout ?? 'pipe', 'pipe'],
    detached: true
  })
  const pid = child.pid
  if (pid === undefined) throw new Error(`could not start ${cmd}`)
  bench.running.add(pid)
  const stopPolling = options.rss && !useTime ? pollHighWater(pid) : undefined
  let stdout = ''
  let stderr = ''
  child.stdout?.setEncoding('utf8').on('data', (s: string) => (stdout = (stdout + s).slice(-65536)))
  child.stderr?.setEncoding('utf8').on('data', (s: string) => (stderr = (stderr + s).slice(-65536)))
  const timer = setTimeout(() => killGroup(pid), bench.sizes.timeoutMs)
  let exitedAt = 0
  child.on('exit', () => (exitedAt = performance.now()))
  const code = await new Promise<number | null>(resolve => child.on('close', resolve))
  clearTimeout(timer)
  bench.running.delete(pid)
  let rssKiB = stopPolling?.()
  let cpuMs: number | undefined
  if (useTime) {
    const report = await fs.readFile(rssFile, 'utf8')
    const field = (label: string): number =>
      Number(new RegExp(`${label}: ([\\d.]+)`).exec(report)?.[1])
    rssKiB = field('Maximum resident set size \\(kbytes\\)')
    cpuMs = (field('User time \\(seconds\\)') + field('System time \\(seconds\\)')) * 1000
    await fs.rm(rssFile)
  }
  return { code, wallMs: exitedAt - startedAt, rssKiB, cpuMs, startedAt, exitedAt, stdout, stderr }
}
