import * as path from 'node:path'
import type { UploadedArtifact } from '../artifact/upload.js'
import type { StageResult } from '../download/downloader.js'

/** What the job summary reports. */
export interface SummaryData {
  recordId: string
  region: string
  logLevel: string
  results: readonly StageResult[]
  artifactName: string
  artifact?: UploadedArtifact
  /** Why there is no artifact, when there is none. */
  uploadNote?: string
}

/** Escapes text for HTML, so log or server text never becomes markup. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)
}

/** Formats a byte count for people: `512 B`, `1.5 KiB`, `3.2 MiB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`
}

/** Renders the job summary as Markdown with HTML-escaped cells. */
export function renderSummary(data: SummaryData): string {
  const failed = data.results.filter(r => r.status === 'failed').length
  const lines = [
    '## CodeArts Build logs',
    '',
    `Record \`${escapeHtml(data.recordId)}\` · region \`${escapeHtml(data.region)}\` · log level ${data.logLevel}` +
      ` · ${data.results.length - failed} of ${data.results.length} stages downloaded`,
    '',
    '| Stage | Status | File | Size | Time |',
    '| --- | --- | --- | ---: | ---: |'
  ]
  for (const r of data.results) {
    const status = r.status === 'downloaded' ? '✅ downloaded' : '❌ failed'
    const file = r.file === null ? '' : `\`${escapeHtml(path.basename(r.file))}\``
    const size = r.status === 'downloaded' ? formatBytes(r.bytes) : ''
    lines.push(
      `| ${r.stage} | ${status} | ${file} | ${size} | ${(r.durationMs / 1000).toFixed(1)} s |`
    )
  }
  for (const r of data.results) {
    if (r.status === 'failed') lines.push('', `**${r.stage}**: ${escapeHtml(r.error)}`)
  }
  lines.push('')
  if (data.artifact) {
    lines.push(`Artifact: [${escapeHtml(data.artifactName)}](${data.artifact.url})`)
  } else if (data.uploadNote) {
    lines.push(escapeHtml(data.uploadNote))
  }
  return `${lines.join('\n')}\n`
}
