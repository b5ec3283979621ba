import { formatDuration, formatTime } from './time-format.js'
import { escapeForSummary } from './markdown.js'
import { resultCell, type Section } from './sections.js'

/** A commit as people quote it: a SHA's first 7 hex digits, anything else as sent. */
function shortCommit(commit: string): string {
  return /^[0-9a-f]{8,64}$/i.test(commit) ? commit.slice(0, 7) : commit
}

/**
 * The line about the build above the stage table: number, result, when it started (saying the
 * zone), how long it queued and ran, trigger, branch or tag, commit and its message's first
 * line, as far as the record's answers give them. Parameters are never shown.
 */
export const buildLine: Section = {
  render: summary => {
    const record = summary.record ?? {}
    const number = summary.buildNumber ?? record.buildNumber
    const text = (label: string, value: string | undefined): string[] =>
      value === undefined ? [] : [`${label} ${escapeForSummary(value)}`]
    const time = (label: string, ms: number | undefined): string[] =>
      ms === undefined ? [] : [`${label} ${formatDuration(ms)}`]
    const commit =
      record.commit === undefined
        ? []
        : [
            `commit ${escapeForSummary(shortCommit(record.commit))}` +
              (record.commitMessage ? ` “${escapeForSummary(record.commitMessage)}”` : '')
          ]
    // How the wait saw the build end, else what the record lookup said.
    const status = summary.buildStatus || record.status
    const facts = [
      ...(status ? [resultCell(status)] : []),
      ...(record.startMs === undefined ? [] : [`started ${formatTime(record.startMs)}`]),
      ...time('queued', record.queuedMs),
      ...time('ran', record.ranMs),
      ...text('trigger', record.trigger),
      ...text('branch', record.branch),
      ...text('tag', record.tag),
      ...commit
    ]
    if (number === undefined && facts.length === 0) return []
    return [[number === undefined ? 'Build' : `Build ${number}`, ...facts].join(' · '), '']
  }
}
