import { statusKind, type StatusKind } from '../codearts/status.js'
import { SHOWN_ZONE } from '../codearts/time.js'
import { cutCodePoints } from '../text-cut.js'
import { wallClock } from './time-format.js'
import type { Section, SummaryData } from './sections.js'

/** One build action as the timeline draws it; times already read (see time.ts). */
export interface TimelineStage {
  /** The task name, `stageN`: the label when there is no display name. */
  stage: string
  /** The name the CodeArts console shows. */
  displayName?: string
  /** The CodeArts status word, lower-cased. */
  status?: string
  /** Epoch ms. */
  startMs?: number
  /** Epoch ms. */
  finishMs?: number
  durationMs?: number
}

/** Longest label, in characters: the chart stays readable and far below Mermaid's text limit. */
export const LABEL_CHARS = 60
/** Mermaid's default `maxTextSize`: a longer chart draws an error box instead. */
const MAX_CHART_CHARS = 50_000
// Where bars laid end to end start: a midnight, so the axis reads as time since the first action.
// January 1st has no daylight-saving change anywhere to bend the axis in the reader's zone.
const ORIGIN_MS = Date.UTC(2000, 0, 1)
// Mermaid reads these zone-less, in the reader's zone, and draws them as written: the axis shows
// the wall clock of SHOWN_ZONE whatever the reader's zone.
const DATE_FORMAT = 'YYYY-MM-DD HH:mm:ss.SSS'
// Letters, marks and digits of any script, spaces, and punctuation with no meaning to Mermaid's
// gantt grammar or to Markdown: `:` `;` `#` `%` `{` `}` `<` `>` `"` and backticks are not here.
const UNSAFE_LABEL = /[^\p{L}\p{M}\p{N} \-_.,()[\]/+&'@!?]+/gu
/**
 * Put before every label: no rule of the gantt lexer but the task text's starts with it, so a
 * label that begins with a keyword (`click`, `title`, `section`, `excludes`, a date, …) is text.
 * It is invisible.
 */
const LABEL_START = '\u200b'

/** A label that Mermaid reads as task text and nothing else: one line, safe characters, short. */
function chartLabel(stage: TimelineStage, index: number): string {
  for (const raw of [stage.displayName, stage.stage]) {
    const text = (raw ?? '').replace(UNSAFE_LABEL, ' ').replace(/\s+/g, ' ').trim()
    if (text === '') continue
    return LABEL_START + cutCodePoints(text, LABEL_CHARS)
  }
  return `${LABEL_START}action ${index + 1}`
}

/** Mermaid's tag for each kind of result: `done` succeeded, `crit` failed, `active` running. */
const RESULT_TAGS: Record<StatusKind, string> = {
  succeeded: 'done, ',
  failed: 'crit, ',
  running: 'active, ',
  stopped: '',
  unknown: ''
}

/** Mermaid's tag for a result, none for a stopped build or a word we do not know. */
function resultTag(status: string | undefined): string {
  return RESULT_TAGS[statusKind(status)]
}

/** A time or duration the chart can use: finite and not negative. */
function usable(ms: number | undefined): number | undefined {
  return ms !== undefined && Number.isFinite(ms) && ms >= 0 ? ms : undefined
}

/** Each bar's [start, end] in ms, or undefined when neither times nor durations can place them. */
function bars(
  stages: readonly TimelineStage[]
): { spans: [number, number][]; timed: boolean } | undefined {
  const starts = stages.map(s => usable(s.startMs))
  const durations = stages.map(s => usable(s.durationMs))
  if (starts.every(start => start !== undefined)) {
    const spans = stages.map((s, i): [number, number] => {
      const start = starts[i] as number
      const finish = usable(s.finishMs)
      return [start, finish !== undefined && finish >= start ? finish : start + (durations[i] ?? 0)]
    })
    return { spans, timed: true }
  }
  if (durations.every(ms => ms === undefined)) return undefined
  let at = ORIGIN_MS
  const spans = durations.map((ms): [number, number] => {
    const start = at
    at += ms ?? 0
    return [start, at]
  })
  return { spans, timed: false }
}

/**
 * The timeline of the build's actions as a Mermaid `gantt` chart (the text inside a ```mermaid
 * fence): one bar per stage, in the order given, labelled with its display name (else its stage
 * name) and coloured by result. Bars run from start to finish when every stage's start is known
 * (times in UTC+8), else one after another by duration; undefined when neither can be read, for
 * no stages, or for a chart too long for Mermaid. Task IDs are `t1`, `t2`, … by position, and no
 * server text reaches the chart but the labels, which can hold nothing Mermaid acts on.
 */
export function timelineChart(stages: readonly TimelineStage[]): string | undefined {
  if (stages.length === 0) return undefined
  const placed = bars(stages)
  if (!placed) return undefined
  const date = (ms: number): string =>
    placed.timed ? wallClock(ms, SHOWN_ZONE.offsetMinutes, true) : wallClock(ms, 0, true)
  const lines = [
    'gantt',
    placed.timed
      ? `    title Actions from start to finish, times in ${SHOWN_ZONE.label}`
      : '    title Actions one after another by duration, time since the first',
    `    dateFormat ${DATE_FORMAT}`,
    '    axisFormat %H:%M:%S',
    '    todayMarker off',
    ...stages.map((stage, i) => {
      const [start, end] = placed.spans[i]
      // Mermaid's task metadata: its tag (if any), its ID, its start and its end.
      const metadata = `${resultTag(stage.status)}t${i + 1}, ${date(start)}, ${date(end)}`
      return `    ${chartLabel(stage, i)}:${metadata}`
    })
  ]
  const chart = lines.join('\n')
  return chart.length <= MAX_CHART_CHARS ? chart : undefined
}

const TIMELINE_KEY = 'timeline'

/** The timeline block of the summary: the chart in a ```mermaid fence; undefined without a chart. */
function timelineBlock(summary: SummaryData): string | undefined {
  const chart = timelineChart(
    (summary.stages ?? []).map(s => ({
      stage: s.taskName,
      displayName: s.displayName,
      status: s.status,
      startMs: s.startMs,
      finishMs: s.finishMs,
      durationMs: s.durationMs
    }))
  )
  // No label can hold a backtick, so the chart cannot end its fence.
  return chart === undefined
    ? undefined
    : ['### Timeline', '', '```mermaid', chart, '```', ''].join('\n')
}

/** The timeline of the build's actions, when their times or durations can be read; nothing else. */
export const timeline: Section = {
  optional: summary => {
    const block = timelineBlock(summary)
    return block === undefined ? [] : [[TIMELINE_KEY, block]]
  },
  render: (summary, fit) => {
    if (fit.leftOut(TIMELINE_KEY)) return ['(Timeline left out: summary size limit.)', '']
    const block = timelineBlock(summary)
    return block === undefined ? [] : [block]
  }
}
