import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startCodeArts, type CodeArtsEmulator } from '../__fixtures__/codearts-server.js'
import {
  DEMO_BUILD_STAGES,
  DEMO_COMPILE_ERROR_MESSAGES,
  DEMO_LOGS,
  DEMO_RECORD_ID,
  DEMO_TOKEN
} from '../__fixtures__/demo-logs.js'
import { expectExitCode, runAction } from '../__fixtures__/run-action.js'

let api: CodeArtsEmulator

beforeAll(async () => {
  api = await startCodeArts({
    token: DEMO_TOKEN,
    logs: { [DEMO_RECORD_ID]: { ...DEMO_LOGS } },
    stages: { [DEMO_RECORD_ID]: { ...DEMO_BUILD_STAGES } }
  })
})
afterAll(() => api.close())

/** The message of a CodeArts log line: what follows its `[LEVEL] [action] : ` prefix. */
const message = (line: string): string => line.replace(/^.*?\] \[[A-Z]+\] \[[^\]]*\] : /, '')

describe("the first error, with what follows it, in the demo's compile failure", () => {
  it('raises one error per compile error, a warning for the rest, and shows the cause in the excerpt', async () => {
    const run = await runAction({
      inputs: {
        'record-id': DEMO_RECORD_ID,
        token: DEMO_TOKEN,
        endpoint: api.url,
        'task-names': 'stage2',
        upload: 'false',
        'build-error-annotations': '10'
      }
    })
    expectExitCode(run, 0)
    // Each compile error once, as an error with its detail lines (no file: no file list here).
    expect(run.annotations.filter(a => a.level === 'error')).toEqual(
      DEMO_COMPILE_ERROR_MESSAGES.map(text => ({
        level: 'error',
        title: 'Compile error in stage2 (Build with Maven)',
        message: text
      }))
    )
    // Then, as a warning, what no recogniser took: the action's own failure line. Maven's advice
    // is no error, and a recognised compile error is never a warning too.
    const builds = run.annotations.filter(a => a.level === 'warning')
    expect(builds.map(a => a.title)).toEqual(['Build error in stage2 (Build with Maven)'])
    const messages = builds.map(a => (a.message ?? '').split('\n').map(message))
    expect(messages).toEqual([['build with maven failed: command exited with code 1']])
    // Errors, not lines: no bare heading, no detail line alone, no error twice.
    const firsts = messages.map(lines => lines[0])
    expect(
      firsts.some(m => m.startsWith('COMPILATION ERROR') || m.startsWith('Failed to execute'))
    ).toBe(false)
    expect(firsts.some(m => /^\s/.test(m))).toBe(false)
    expect(new Set(messages.map(m => m.join('\n'))).size).toBe(messages.length)
    expect(builds.length).toBeLessThanOrEqual(10)

    // The excerpt starts a few lines before the first error and holds what the compiler said.
    const excerpt =
      /<summary>stage2 \(Build with Maven\): first error, line (\d+)<\/summary>\n\n<pre>([^]*?)<\/pre>/.exec(
        run.summary
      )
    expect(excerpt).not.toBeNull()
    const shown = excerpt![2].split('\n')
    expect(shown).toHaveLength(20)
    expect(message(shown[5])).toBe('COMPILATION ERROR : ')
    expect(excerpt![2]).toContain('OrderService.java:[42,17] cannot find symbol')
    expect(excerpt![2]).toContain('location: variable gateway of type')
    const lines = DEMO_LOGS.stage2.split('\n')
    const at = Number(excerpt![1]) - 1
    expect(lines[at]).toContain('[ERROR]')
    expect(lines.slice(0, at).some(l => l.includes('[ERROR]'))).toBe(false)
  })
})
