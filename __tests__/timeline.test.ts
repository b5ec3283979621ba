import { describe, expect, it } from '@jest/globals'
import { mermaidParse } from '../__fixtures__/mermaid.js'
import { LABEL_CHARS, timelineChart, type TimelineStage } from '../src/report/timeline.js'

const T0 = Date.UTC(2024, 5, 26, 8, 25, 9) // 16:25:09 at UTC+8
const HOUR = 3_600_000

const STAGES: TimelineStage[] = [
  {
    stage: 'stage1',
    displayName: 'Code checkout',
    status: 'success',
    startMs: T0,
    finishMs: T0 + 4000
  },
  {
    stage: 'stage2',
    displayName: 'Build with Maven',
    status: 'error',
    startMs: T0 + 4000,
    finishMs: T0 + 65_500
  },
  { stage: 'stage3', status: 'running', startMs: T0 + 65_500, durationMs: 1500 },
  { stage: 'stage4', displayName: 'Upload', status: '', startMs: T0 + 70_000 }
]

const lineOf = (chart: string, n: number): string => chart.split('\n')[n + 5]

describe('timelineChart', () => {
  it('draws one bar per stage from start to finish, in UTC+8, coloured by result', () => {
    const chart = timelineChart(STAGES)!
    expect(chart.split('\n').slice(0, 5)).toEqual([
      'gantt',
      '    title Actions from start to finish, times in UTC+8',
      '    dateFormat YYYY-MM-DD HH:mm:ss.SSS',
      '    axisFormat %H:%M:%S',
      '    todayMarker off'
    ])
    expect(chart.split('\n')).toHaveLength(5 + STAGES.length)
    expect(lineOf(chart, 0)).toBe(
      '    \u200bCode checkout:done, t1, 2024-06-26 16:25:09.000, 2024-06-26 16:25:13.000'
    )
    expect(lineOf(chart, 1)).toBe(
      '    \u200bBuild with Maven:crit, t2, 2024-06-26 16:25:13.000, 2024-06-26 16:26:14.500'
    )
    // No finish: start + duration; no status word the chart knows: no tag; no name: stage name.
    expect(lineOf(chart, 2)).toBe(
      '    \u200bstage3:active, t3, 2024-06-26 16:26:14.500, 2024-06-26 16:26:16.000'
    )
    expect(lineOf(chart, 3)).toBe(
      '    \u200bUpload:t4, 2024-06-26 16:26:19.000, 2024-06-26 16:26:19.000'
    )
  })

  it('tags a bar by what its status word means, in any case and any of its spellings', () => {
    const words = ['succeeded', 'SUCCESS', 'failure', 'aborted', 'pending', 'queued', 'cancelled']
    const chart = timelineChart(
      words.map((status, i) => ({ stage: `stage${i + 1}`, status, startMs: T0 + i * 1000 }))
    )!
    expect(words.map((_, i) => lineOf(chart, i).split(':')[1].split(',')[0])).toEqual([
      'done',
      'done',
      'crit',
      'crit',
      'active',
      'active',
      't7'
    ])
  })

  it('lays bars end to end by duration when a start is unknown', () => {
    const stages: TimelineStage[] = [
      { stage: 'stage1', status: 'success', startMs: T0, durationMs: 4000 },
      { stage: 'stage2', status: 'failed', durationMs: 61_500 },
      { stage: 'stage3' }
    ]
    const chart = timelineChart(stages)!
    expect(chart).toContain('title Actions one after another by duration, time since the first')
    expect(lineOf(chart, 0)).toBe(
      '    \u200bstage1:done, t1, 2000-01-01 00:00:00.000, 2000-01-01 00:00:04.000'
    )
    expect(lineOf(chart, 1)).toBe(
      '    \u200bstage2:crit, t2, 2000-01-01 00:00:04.000, 2000-01-01 00:01:05.500'
    )
    expect(lineOf(chart, 2)).toBe(
      '    \u200bstage3:t3, 2000-01-01 00:01:05.500, 2000-01-01 00:01:05.500'
    )
  })

  it('draws nothing when neither starts nor durations can be read', () => {
    expect(timelineChart([])).toBeUndefined()
    expect(timelineChart([{ stage: 'stage1', startMs: T0 }, { stage: 'stage2' }])).toBeUndefined()
    expect(timelineChart([{ stage: 'stage1', durationMs: NaN, startMs: -1 }])).toBeUndefined()
  })

  it("draws nothing rather than a chart past Mermaid's text limit", () => {
    const stages = (n: number): TimelineStage[] =>
      Array.from({ length: n }, (_, i) => ({
        stage: `stage${i}`,
        displayName: 'y'.repeat(100),
        durationMs: 1
      }))
    expect(timelineChart(stages(300))!.length).toBeLessThanOrEqual(50_000)
    expect(timelineChart(stages(1000))).toBeUndefined()
  })

  it('ignores a finish before the start, and unusable numbers', () => {
    const chart = timelineChart([
      { stage: 'stage1', startMs: T0, finishMs: T0 - 5000, durationMs: 2000 },
      { stage: 'stage2', startMs: T0, finishMs: NaN, durationMs: -3 }
    ])!
    expect(lineOf(chart, 0)).toContain('2024-06-26 16:25:09.000, 2024-06-26 16:25:11.000')
    expect(lineOf(chart, 1)).toContain('2024-06-26 16:25:09.000, 2024-06-26 16:25:09.000')
  })

  it('keeps labels to safe characters of any script, one line, at most LABEL_CHARS', () => {
    const chart = timelineChart(
      [
        { stage: 'stage1', displayName: '构建 Maven: a;b#c%%d`e"f<g>{h}\n\u2028click' },
        { stage: 'stage2', displayName: 'x'.repeat(10_000) },
        { stage: 'stage3', displayName: ':;#%' },
        { stage: '', displayName: '' }
      ].map(s => ({ ...s, durationMs: 1 }))
    )!
    expect(lineOf(chart, 0)).toMatch(/^ {4}\u200b构建 Maven a b c d e f g h click:t1, /)
    expect(lineOf(chart, 1)).toMatch(new RegExp(`^ {4}\\u200bx{${LABEL_CHARS - 1}}…:t2, `))
    expect(lineOf(chart, 2)).toMatch(/^ {4}\u200bstage3:t3, /)
    expect(lineOf(chart, 3)).toMatch(/^ {4}\u200baction 4:t4, /)
  })
})

const HOSTILE_NAMES = [
  'a: b; c # d %% e',
  '%%{init: {"theme": "dark", "securityLevel": "loose"}}%%',
  '%%{ init: { "themeCSS": "rect { fill: red }" } }%%',
  'Build\nclick t1 href "javascript:alert(1)"',
  'Build\r\n    click t1 call alert("x")',
  'click t1 href "https://evil.example"',
  'click',
  'call alert()',
  'title Pwned',
  'section Evil',
  'excludes weekends',
  'includes 2024-06-26',
  'dateFormat YYYY',
  'axisFormat %Y',
  'tickInterval 1day',
  'todayMarker stroke-width:5px',
  'weekday monday',
  'weekend friday',
  'inclusiveEndDates',
  'topAxis',
  'gantt',
  '2024-01-01 is a date',
  'accTitle: stolen',
  'accDescr { stolen }',
  'accDescription stolen',
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '<a href="https://evil.example">link</a>',
  '[link](https://evil.example)',
  '```\n# Heading\n```',
  '~~~\nend',
  '`code`',
  '#quot; #35; &#35; &lt;',
  ':::',
  ';;;',
  '\u202eRTL override\u202c and \u200bzero width',
  '\u2028line\u2029separators\u0085next',
  'emoji 🚀 and 构建 and العربية',
  'x'.repeat(10 * 1024),
  '  ',
  ''
]

describe("timelineChart under Mermaid's own parser", () => {
  it('stays one valid chart with exactly one bar per stage, and nothing else, for hostile names', () => {
    const statuses = ['success', 'error', 'running', '', 'unknown']
    const timed = HOSTILE_NAMES.map((displayName, i) => ({
      stage: `stage${i + 1}`,
      displayName,
      status: statuses[i % statuses.length],
      startMs: T0 + i * 1000,
      finishMs: T0 + i * 1000 + 500
    }))
    const sequential = timed.map(({ stage, displayName }, i) => ({
      stage,
      displayName,
      durationMs: i * 10
    }))
    // Hostile names as stage names too, with no display name.
    const asStageNames = HOSTILE_NAMES.map(stage => ({ stage, startMs: T0 }))
    const charts = [timed, sequential, asStageNames].map(stages => timelineChart(stages)!)
    // Controls: Mermaid rejects a broken chart, and the report sees a link when one is asked for.
    const broken = `${charts[0]}\n    broken :t99, not a date, also not`
    const withLink = `${charts[0]}\n    click t1 href "https://evil.example"`
    const reports = mermaidParse([...charts, broken, withLink])

    expect(reports[3].ok).toBe(false)
    expect(reports[4]).toMatchObject({ ok: true, links: 1 })
    expect(reports[4].asked).toContain('setLink')

    for (const [n, report] of reports.slice(0, 3).entries()) {
      expect(report.error).toBeUndefined()
      expect(report).toMatchObject({ ok: true, type: 'gantt', config: {}, links: 0, asked: [] })
      expect(report.accTitle).toBe('')
      expect(report.accDescription).toBe('')
      expect(report.title).toMatch(/^Actions /)
      const tasks = report.tasks!
      expect(tasks).toHaveLength(HOSTILE_NAMES.length)
      expect(tasks.map(t => t.id)).toEqual(HOSTILE_NAMES.map((_, i) => `t${i + 1}`))
      for (const task of tasks) {
        expect(task.task.startsWith('\u200b')).toBe(true)
        expect(Array.from(task.task).length).toBeLessThanOrEqual(LABEL_CHARS + 1)
        expect(task.task).not.toMatch(/[:;#%`"<>{}\n\r]/)
      }
      if (n === 0) {
        // Bars where they belong, shown at the wall clock of UTC+8, and coloured by result.
        expect(tasks.map(t => t.startMs)).toEqual(timed.map(s => s.startMs + 8 * HOUR))
        expect(tasks.map(t => t.endMs - t.startMs)).toEqual(timed.map(() => 500))
        expect(
          tasks.map(t => (t.done ? 'done' : t.crit ? 'crit' : t.active ? 'active' : ''))
        ).toEqual(
          timed.map(s => ({ success: 'done', error: 'crit', running: 'active' })[s.status] ?? '')
        )
      }
      if (n === 1) {
        expect(tasks.map(t => t.endMs - t.startMs)).toEqual(sequential.map(s => s.durationMs))
        expect(tasks.slice(1).map((t, i) => t.startMs - tasks[i].endMs)).toEqual(
          tasks.slice(1).map(() => 0)
        )
      }
    }
    for (const chart of charts) {
      // Nothing that could end the Markdown fence or add a line of its own.
      expect(chart).not.toMatch(/`|~~~|%%/)
      expect(chart.split('\n')).toHaveLength(5 + HOSTILE_NAMES.length)
    }
  })
})
