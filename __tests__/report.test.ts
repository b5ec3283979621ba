import { describe, expect, it, jest } from '@jest/globals'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { parseAnnotations, type Annotation } from '../__fixtures__/run-action.js'
import { makeTempDir } from '../__fixtures__/temp-dirs.js'
import type { StageResult } from '../src/download/downloader.js'
import { buildErrorAnnotations } from '../src/report/annotations.js'
import {
  logStageGroups,
  noticeLogCut,
  progressLine,
  stageHeadline,
  type LogCutPlace
} from '../src/report/job-log.js'
import type { StageReport } from '../src/report/stage-report.js'
import { artifactOutputs, downloadOutputs } from '../src/report/outputs.js'
import { escapeForSummary, escapeHtml, formatBytes } from '../src/report/markdown.js'
import { SUMMARY_LIMIT_BYTES, renderSummary } from '../src/report/summary.js'
import type { RunContext } from '../src/run/context.js'
import { reportDetached } from '../src/run/report.js'

const ERROR_LINE =
  '[2025/06/26 14:24:02.719 GMT+08:00] [ERROR] [build] : App.java:[12,8] <b>cannot</b> find symbol'

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

const DETAIL_LINE = '[2025/06/26 14:24:02.720 GMT+08:00] [ERROR] [build] :   symbol: ::add-mask::x'

const RESULTS: StageResult[] = [
  {
    stage: 'stage1',
    status: 'downloaded',
    file: '/logs/stage1.log',
    bytes: 2048,
    durationMs: 120,
    attempts: 1,
    stats: {
      lines: 40,
      errors: 2,
      warnings: 1,
      errorGroups: [[ERROR_LINE, DETAIL_LINE], ['second ::set-output name=a::b']],
      findings: [],
      firstError: { line: 12, context: ['[INFO] compiling', ERROR_LINE] }
    }
  },
  {
    stage: 'stage2',
    status: 'failed',
    file: null,
    bytes: 0,
    durationMs: 80,
    attempts: 4,
    error: 'failed to download stage2 of record r: 404 <b>URL</b> not found'
  },
  {
    stage: 'stage3',
    status: 'downloaded',
    file: '/logs/stage3.log.gz',
    bytes: 10,
    durationMs: 1500,
    attempts: 1
  }
]

describe('outputs', () => {
  it('lists files in order and describes every stage', () => {
    expect(downloadOutputs('/logs', RESULTS)).toEqual({
      'log-dir': '/logs',
      files: '["/logs/stage1.log","/logs/stage3.log.gz"]',
      stages: JSON.stringify({
        stage1: { file: '/logs/stage1.log', bytes: 2048, status: 'downloaded' },
        stage2: {
          file: null,
          bytes: 0,
          status: 'failed',
          error: 'failed to download stage2 of record r: 404 <b>URL</b> not found'
        },
        stage3: { file: '/logs/stage3.log.gz', bytes: 10, status: 'downloaded' }
      }),
      'failed-stages': '["stage2"]'
    })
  })

  it('leaves the artifact outputs empty when nothing was uploaded', () => {
    expect(artifactOutputs(undefined)).toEqual({
      'artifact-id': '',
      'artifact-url': '',
      'artifact-digest': ''
    })
    expect(artifactOutputs({ id: 7, url: 'https://u', digest: 'abc' })).toEqual({
      'artifact-id': '7',
      'artifact-url': 'https://u',
      'artifact-digest': 'abc'
    })
  })
})

describe('summary', () => {
  const text = renderSummary({
    recordId: 'r',
    region: 'cn-north-4',
    logLevel: 'INFO',
    results: RESULTS,
    artifactName: 'logs',
    artifact: { id: 7, url: 'https://github.com/o/r/actions/runs/1/artifacts/7', digest: 'abc' }
  })

  it('has a row per stage with counts, and no download time (the job log has it)', () => {
    expect(text).toContain('2 of 3 logs downloaded')
    expect(text).toContain('| Stage | Log | Size | Lines | Errors | Warnings |\n')
    expect(text).toContain('| stage1 | `stage1.log` | 2.0 KiB | 40 | 2 | 1 |\n')
    expect(text).toContain('| stage2 | ⚠️ not downloaded |  |  |  |  |\n')
    expect(text).toContain('| stage3 | `stage3.log.gz` | 10 B | not scanned (compressed) |  |  |')
    expect(text).toContain('Artifact: [logs](https://github.com/o/r/actions/runs/1/artifacts/7)')
  })

  it('puts the first error in a collapsed, escaped block and never raw HTML', () => {
    expect(text).toContain('<details><summary>stage1: first error, line 12</summary>')
    expect(text).toContain(
      '<pre>[INFO] compiling\n[2025/06/26 14:24:02.719 GMT+08:00] [ERROR] [build] : App.java:[12,8] &#60;b&#62;cannot&#60;/b&#62; find symbol</pre>'
    )
    expect(text).toContain(
      '- **stage2**: failed to download stage2 of record r: 404 &#60;b&#62;URL&#60;/b&#62; not found'
    )
    expect(text).not.toContain('<b>')
  })

  it('leaves out excerpts that would pass the size limit and says so in the table', () => {
    const huge = 'x'.repeat(499)
    const many: StageResult[] = Array.from({ length: 200 }, (_, i) => ({
      stage: `stage${i + 1}`,
      status: 'downloaded',
      file: `/l/stage${i + 1}.log`,
      bytes: 1,
      durationMs: 1,
      attempts: 1,
      stats: {
        lines: 21,
        errors: 1,
        warnings: 0,
        errorGroups: [],
        findings: [],
        firstError: { line: 21, context: Array.from({ length: 21 }, () => `<${huge}>`) }
      }
    }))
    const big = renderSummary({
      recordId: 'r',
      region: 'x',
      logLevel: 'INFO',
      results: many,
      artifactName: 'a'
    })
    expect(Buffer.byteLength(big)).toBeLessThan(SUMMARY_LIMIT_BYTES)
    expect(big).toContain('| stage1 | `stage1.log` | 1 B | 21 | 1 | 0 |')
    expect(big).toContain(
      '| stage200 | `stage200.log` | 1 B | 21 | 1 (excerpt left out: summary size limit) | 0 |'
    )
  })

  it('says why there is no artifact', () => {
    const note = renderSummary({
      recordId: 'r',
      region: 'x',
      logLevel: 'DEBUG',
      results: [],
      artifactName: 'logs',
      uploadNote: 'Upload turned off (upload: false).'
    })
    expect(note).toContain('Upload turned off &#40;upload: false&#41;.')
  })

  it('names an artifact it cannot link and says why', () => {
    const unlinked = renderSummary({
      recordId: 'r',
      region: 'x',
      logLevel: 'INFO',
      results: [],
      artifactName: 'logs',
      artifact: { id: 1, url: '', digest: 'abc', noUrlReason: 'no link: GITHUB_RUN_ID is not set' }
    })
    expect(unlinked).toContain('Artifact: logs (ID 1), no link: GITHUB&#95;RUN&#95;ID is not set.')
    expect(unlinked).not.toContain('](')
  })

  it('formats sizes and escapes HTML', () => {
    expect(formatBytes(0)).toBe('0 B')
    expect(formatBytes(1536)).toBe('1.5 KiB')
    expect(formatBytes(5 * 1024 ** 3)).toBe('5.0 GiB')
    expect(escapeForSummary(`<a href="x">'&'</a>|\``)).toBe(
      '&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;&#124;&#96;'
    )
    expect(escapeForSummary('![i](u) *b* _e_ ~s~ # h \\')).toBe(
      '&#33;&#91;i&#93;&#40;u&#41; &#42;b&#42; &#95;e&#95; &#126;s&#126; &#35; h &#92;'
    )
    expect(escapeHtml('[ERROR] <b> & "q"')).toBe('[ERROR] &#60;b&#62; &#38; &#34;q&#34;')
  })

  it('leaves GFM nothing to autolink: no bare URL, www. name or e-mail address', () => {
    expect(
      escapeForSummary('see https://evil.example/a, WWW.evil.example and c@evil.example')
    ).toBe('see https&#58;//evil.example/a, WWW&#46;evil.example and c&#64;evil.example')
  })
})

describe('build error annotations', () => {
  it('takes the first lines in task order, bounded, with workflow commands neutralised', () => {
    expect(buildErrorAnnotations(RESULTS, 5)).toEqual([
      // One annotation per error, its lines as the message, each line inert.
      {
        title: 'Build error in stage1',
        message: `${ERROR_LINE}\n[2025/06/26 14:24:02.720 GMT+08:00] [ERROR] [build] :   symbol: : :add-mask: :x`
      },
      { title: 'Build error in stage1', message: 'second : :set-output name=a: :b' }
    ])
    expect(buildErrorAnnotations(RESULTS, 1)).toHaveLength(1)
    expect(buildErrorAnnotations(RESULTS, 0)).toEqual([])
  })
})

describe('job log', () => {
  /** What `write` prints to stdout, where @actions/core writes the job log. */
  const printedBy = (write: () => void): string => {
    let printed = ''
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(chunk => {
      printed += String(chunk)
      return true
    })
    try {
      write()
    } finally {
      stdout.mockRestore()
    }
    return printed
  }

  it('heads each stage group with its size, counts and time', () => {
    expect(RESULTS.map(stageHeadline)).toEqual([
      'stage1: 2.0 KiB, 40 lines, 2 errors, 1 warnings in 0.1 s',
      'stage2: download failed after 0.1 s',
      'stage3: 10 B in 1.5 s'
    ])
    expect(progressLine('stage4', 300 * 1024 * 1024, 5000)).toBe(
      'stage4: 300.0 MiB so far (60.0 MiB/s)'
    )
  })

  it('writes one debug line for each stage whose scan dropped a recogniser that threw, inert', () => {
    const failed: StageReport = {
      stage: 'stage4',
      status: 'downloaded',
      file: '/logs/stage4.log',
      bytes: 10,
      durationMs: 1,
      attempts: 1,
      displayName: 'Build ::warning::x',
      stats: {
        lines: 3,
        errors: 0,
        warnings: 0,
        errorGroups: [],
        findings: [],
        recogniserFailures: ['maven: cannot read ::error::this', 'gcc: bad\u202ehint']
      }
    }
    const printed = printedBy(() => logStageGroups([...RESULTS, failed]))
    expect(printed.split('\n').filter(line => line.startsWith('::debug::'))).toEqual([
      '::debug::stage4 (Build : :warning: :x): the scan of its log dropped recognisers that threw: maven: cannot read : :error: :this; gcc: bad hint'
    ])
  })

  it('says how much of a live log cut short was shown, and where the rest is', () => {
    const destination = { recordId: 'r', dir: '/tmp/logs/r', artifactName: 'logs-r' }
    const notices = (place: LogCutPlace, shownBytes = 10 * 1024): Annotation[] =>
      parseAnnotations(printedBy(() => noticeLogCut({ shownBytes }, place)))
    const notice = (message: string): Annotation[] => [
      { level: 'notice', title: 'Live log not shown whole', message }
    ]
    expect(notices({ destination, uploading: true, stagesFetched: 2 })).toEqual(
      notice(
        "The job log shows the first 10.0 KiB of the build's log; the rest is in the stage logs (log folder /tmp/logs/r, to be uploaded as artifact logs-r)."
      )
    )
    expect(notices({ destination, uploading: false, stagesFetched: 2 }, 0)).toEqual(
      notice(
        "The job log shows none of the build's log; the rest is in the stage logs (log folder /tmp/logs/r)."
      )
    )
    expect(notices({ destination, uploading: true, stagesFetched: 0 })).toEqual(
      notice(
        "The job log shows the first 10.0 KiB of the build's log; the rest is in its stage logs on CodeArts; none is fetched here, as no build action failed."
      )
    )
  })
})

describe('the build as the CodeArts console shows it', () => {
  const named: StageReport[] = [
    { ...RESULTS[0], displayName: 'Build with *Maven*', buildStatus: 'error' },
    { ...RESULTS[1], displayName: 'Unit tests', buildStatus: 'success' },
    { ...RESULTS[2], buildStatus: 'running' },
    {
      stage: 'build',
      status: 'downloaded',
      file: '/logs/build.log',
      bytes: 4,
      durationMs: 10,
      attempts: 1,
      stats: { lines: 1, errors: 0, warnings: 0, errorGroups: [], findings: [] }
    }
  ]
  const text = renderSummary({
    recordId: 'r',
    region: 'cn-north-4',
    logLevel: 'INFO',
    results: named,
    artifactName: 'logs'
  })

  it('shows how the build ended on the build line when the action waited for it', () => {
    const waited = renderSummary({
      recordId: 'r',
      buildStatus: 'error',
      region: 'x',
      logLevel: 'INFO',
      results: named,
      artifactName: 'logs'
    })
    expect(waited).toContain('\nBuild · ❌ **error**\n')
    expect(text).toContain('Record `r` · region')
    expect(text).not.toContain('\nBuild')
  })

  it('adds the action name and a result column where a failed action stands out', () => {
    expect(text).toContain('· **1 failed build action**')
    expect(text).toContain(
      '| Stage | Action | Result | Time | Log | Size | Lines | Errors | Warnings |'
    )
    expect(text).toContain(
      '| stage1 | Build with &#42;Maven&#42; | ❌ **error** |  | `stage1.log` | 2.0 KiB | 40 | 2 | 1 |'
    )
    expect(text).toContain('| stage2 | Unit tests | ✅ success |  | ⚠️ not downloaded |')
    expect(text).toContain('| stage3 |  | running |  | `stage3.log.gz` |')
    expect(text).toContain('| build (whole log) |  |  |  | `build.log` | 4 B | 1 | 0 | 0 |')
  })

  it('names the stage by its action in excerpts, failures, annotations and the job log', () => {
    expect(text).toContain(
      '<details><summary>stage1 (Build with *Maven*): first error, line 12</summary>'
    )
    expect(text).toContain('- **stage2 &#40;Unit tests&#41;**: failed to download stage2')
    expect(buildErrorAnnotations(named, 1)).toEqual([
      {
        title: 'Build error in stage1 (Build with *Maven*)',
        message: expect.stringMatching(new RegExp(`^${escapeRegExp(ERROR_LINE)}\n`))
      }
    ])
    expect(named.map(stageHeadline)).toEqual([
      'stage1 (Build with *Maven*) [error]: 2.0 KiB, 40 lines, 2 errors, 1 warnings in 0.1 s',
      'stage2 (Unit tests) [success]: download failed after 0.1 s',
      'stage3 [running]: 10 B in 1.5 s',
      'build (whole log): 4 B, 1 lines, 0 errors, 0 warnings in 0.0 s'
    ])
  })

  it('adds name and result to the stages output where known', () => {
    expect(JSON.parse(downloadOutputs('/logs', named).stages)).toEqual({
      stage1: {
        file: '/logs/stage1.log',
        bytes: 2048,
        status: 'downloaded',
        name: 'Build with *Maven*',
        result: 'error'
      },
      stage2: {
        file: null,
        bytes: 0,
        status: 'failed',
        error: 'failed to download stage2 of record r: 404 <b>URL</b> not found',
        name: 'Unit tests',
        result: 'success'
      },
      stage3: { file: '/logs/stage3.log.gz', bytes: 10, status: 'downloaded', result: 'running' },
      build: { file: '/logs/build.log', bytes: 4, status: 'downloaded' }
    })
  })
})

describe('summary text that did not come in one line', () => {
  // What renderSummary is given is trusted to no one: a stage name or status that reached it
  // unshaped must still leave one row per stage and no markup.
  const BREAKS = 'a\nb\r\nc\rd\u2028e\u2029f\u0085g'
  const report: StageReport = {
    ...RESULTS[0],
    displayName: `${BREAKS} | x | <img src=x onerror=alert(1)> [x](javascript:alert(1))`,
    buildStatus: `error\n| forged | row |`
  }
  const text = renderSummary({
    recordId: 'r',
    region: 'x',
    logLevel: 'INFO',
    results: [report, { ...RESULTS[1], displayName: BREAKS }],
    artifactName: 'logs'
  })
  const lines = text.split(/\r\n|[\n\r\u2028\u2029\u0085]/)

  it('keeps every line break out of escapeForSummary', () => {
    expect(escapeForSummary(BREAKS)).toBe('a b c d e f g')
  })

  it('keeps each stage one table row with the header row’s cells, and links and HTML inert', () => {
    const rows = lines.filter(line => line.startsWith('|'))
    expect(rows.map(row => row.split('|').length)).toEqual([11, 11, 11, 11])
    expect(rows[2]).toContain(
      '| stage1 | a b c d e f g &#124; x &#124; &#60;img src=x onerror=alert&#40;1&#41;&#62; &#91;x&#93;&#40;javascript:alert&#40;1&#41;&#41; | error &#124; forged &#124; row &#124; |'
    )
    // The excerpt heading is inside an HTML block, where Markdown is not read; only its HTML is escaped.
    const markdown = lines.filter(line => !line.startsWith('<details>'))
    expect(markdown.join('\n')).not.toMatch(/<img|\]\(/)
  })

  it('keeps each failure one list item and each excerpt heading one line', () => {
    expect(lines.filter(line => line.startsWith('- '))).toEqual([
      expect.stringMatching(/^- \*\*stage2 &#40;a b c d e f g&#41;\*\*: failed to download/)
    ])
    expect(lines).toContain(
      '<details><summary>stage1 (a b c d e f g | x | &#60;img src=x onerror=alert(1)&#62; [x](javascript:alert(1))): first error, line 12</summary>'
    )
  })
})

describe('the job summary file', () => {
  it('is the one named in the environment the run was given, not in process.env', async () => {
    const dir = await makeTempDir('cbl-summary-')
    const given = path.join(dir, 'given.md')
    const other = path.join(dir, 'process.md')
    await fs.writeFile(given, 'before\n')
    await fs.writeFile(other, '')
    const saved = process.env.GITHUB_STEP_SUMMARY
    process.env.GITHUB_STEP_SUMMARY = other
    try {
      const ctx = {
        inputs: { summary: true },
        env: { GITHUB_STEP_SUMMARY: given }
      } as unknown as RunContext
      await reportDetached(ctx, 'Started build 7 of job j', '')
      const off = { ...ctx, inputs: { summary: false } } as unknown as RunContext
      await reportDetached(off, 'Started build 8 of job j', '')
    } finally {
      if (saved === undefined) delete process.env.GITHUB_STEP_SUMMARY
      else process.env.GITHUB_STEP_SUMMARY = saved
    }
    const text = await fs.readFile(given, 'utf8')
    expect(text.startsWith('before\n')).toBe(true)
    expect(text).toContain('Started build 7 of job j')
    expect(text).not.toContain('build 8')
    expect(await fs.readFile(other, 'utf8')).toBe('')
  })
})
