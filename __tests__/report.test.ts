import { describe, expect, it } from '@jest/globals'
import type { StageResult } from '../src/download/downloader.js'
import { artifactOutputs, downloadOutputs } from '../src/report/outputs.js'
import { escapeHtml, formatBytes, renderSummary } from '../src/report/summary.js'

const RESULTS: StageResult[] = [
  { stage: 'stage1', status: 'downloaded', file: '/logs/stage1.log', bytes: 2048, durationMs: 120 },
  {
    stage: 'stage2',
    status: 'failed',
    file: null,
    bytes: 0,
    durationMs: 80,
    error: 'failed to download stage2 of record r: 404 <b>URL</b> not found'
  },
  {
    stage: 'stage3',
    status: 'downloaded',
    file: '/logs/stage3.log.gz',
    bytes: 10,
    durationMs: 1500
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
  it('has a row per stage, the errors escaped, and the artifact link', () => {
    const text = renderSummary({
      recordId: 'r',
      region: 'cn-north-4',
      logLevel: 'INFO',
      results: RESULTS,
      artifactName: 'logs',
      artifact: { id: 7, url: 'https://github.com/o/r/actions/runs/1/artifacts/7', digest: 'abc' }
    })
    expect(text).toContain('2 of 3 stages downloaded')
    expect(text).toContain('| stage1 | ✅ downloaded | `stage1.log` | 2.0 KiB | 0.1 s |')
    expect(text).toContain('| stage2 | ❌ failed |  |  | 0.1 s |')
    expect(text).toContain(
      '**stage2**: failed to download stage2 of record r: 404 &#60;b&#62;URL&#60;/b&#62; not found'
    )
    expect(text).not.toContain('<b>')
    expect(text).toContain('Artifact: [logs](https://github.com/o/r/actions/runs/1/artifacts/7)')
  })

  it('says why there is no artifact', () => {
    const text = renderSummary({
      recordId: 'r',
      region: 'x',
      logLevel: 'DEBUG',
      results: [],
      artifactName: 'logs',
      uploadNote: 'Upload turned off (upload: false).'
    })
    expect(text).toContain('Upload turned off (upload: false).')
  })

  it('formats sizes and escapes HTML', () => {
    expect(formatBytes(0)).toBe('0 B')
    expect(formatBytes(1536)).toBe('1.5 KiB')
    expect(formatBytes(5 * 1024 ** 3)).toBe('5.0 GiB')
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      '&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;'
    )
  })
})
