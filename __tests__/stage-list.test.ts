import { describe, expect, it } from '@jest/globals'
import { recordIdOf } from '../src/codearts/record-info.js'
import { laterRecord, parseBuildRecord } from '../src/codearts/build-record.js'
import { parseStageList } from '../src/codearts/stage-list.js'
import { isFailedStatus } from '../src/codearts/status.js'

const list = (stages: Record<string, object>): unknown => ({ build_stages: stages })

describe('parseStageList', () => {
  it('names each entry by execution_stage_name, else its key, else its sequence', () => {
    const skipped: string[] = []
    const stages = parseStageList(
      list({
        a1b2: { execution_stage_name: 'stage2', display_name: 'Build', sequence: 2 },
        stage1: { display_name: 'Checkout', status: 'SUCCESS', sequence: 1 },
        c3d4: { display_name: 'Upload', status: 'Error', sequence: 3 },
        e5f6: { display_name: 'No name, no sequence' }
      }),
      why => skipped.push(why)
    )
    expect(stages).toEqual([
      { taskName: 'stage1', displayName: 'Checkout', status: 'success' },
      { taskName: 'stage2', displayName: 'Build', status: undefined },
      { taskName: 'stage3', displayName: 'Upload', status: 'error' }
    ])
    expect(skipped).toEqual(['entry "e5f6" has no stageN name and no sequence'])
  })

  it('counts sequence from 1 when the list starts at 0', () => {
    const stages = parseStageList(
      list({ x: { sequence: 1, display_name: 'B' }, y: { sequence: 0, display_name: 'A' } })
    )
    expect(stages.map(s => [s.taskName, s.displayName])).toEqual([
      ['stage1', 'A'],
      ['stage2', 'B']
    ])
  })

  it('orders by sequence, else by stage number, and collapses repeats into the first', () => {
    const stages = parseStageList(
      list({
        stage10: {},
        stage3: { display_name: 'first stage3' },
        k: { execution_stage_name: 'stage3', sequence: 3, display_name: 'second stage3' },
        j: { sequence: '2' },
        stage1: {}
      })
    )
    expect(stages.map(s => s.taskName)).toEqual(['stage1', 'stage2', 'stage3', 'stage10'])
    expect(stages[2].displayName).toBe('first stage3')
  })

  it('ignores a malformed execution_stage_name and a negative or fractional sequence', () => {
    const stages = parseStageList(
      list({
        stage4: { execution_stage_name: '../x', sequence: -1 },
        q: { execution_stage_name: 'Build', sequence: 1.5 }
      })
    )
    expect(stages.map(s => s.taskName)).toEqual(['stage4'])
  })

  it.each([
    ['a list', []],
    ['no build_stages', { stages: {} }],
    ['a build_stages array', { build_stages: [] }],
    ['null', null]
  ])('refuses %s, saying what came back', (_label, result) => {
    expect(() => parseStageList(result)).toThrow(/no "result.build_stages" map; it began: \{/)
  })

  it('returns an empty list for an empty map', () => {
    expect(parseStageList(list({}))).toEqual([])
  })
})

describe('isFailedStatus', () => {
  it.each(['error', 'FAILED', 'failure', 'Fail', 'aborted', 'timeout'])('%s failed', status => {
    expect(isFailedStatus(status)).toBe(true)
  })
  it.each(['success', 'running', '', undefined])('%s did not fail', status => {
    expect(isFailedStatus(status)).toBe(false)
  })
})

describe('recordIdOf', () => {
  const RECORD = '2cc26382-b2cb-4234-8eb0-b37d362f4d4c'
  it('prefers build_record_id, then id, when they have the record shape', () => {
    expect(recordIdOf({ id: 'x', build_record_id: RECORD })).toBe(RECORD)
    expect(recordIdOf({ id: RECORD, build_record_id: 'short' })).toBe(RECORD)
  })
  it('says what came back when neither has the shape', () => {
    expect(() => recordIdOf({ id: 42, build_no: 3 })).toThrow(
      /no record ID .* in result.build_record_id or result.id; it began: \{"result":\{"id":42,"build_no":3\}\}/
    )
  })
})

describe('times of the stage list and the record', () => {
  const T0 = Date.UTC(2024, 5, 26, 8, 25, 9)

  it('reads each stage time once: start, finish and its time in CodeArts', () => {
    const [a, b, c] = parseStageList(
      list({
        a: {
          execution_stage_name: 'stage1',
          start_time: 'Wed Jun 26 16:25:09 CST 2024',
          finish_time: '2024-06-26 16:25:13',
          build_duration: 3900,
          duration: 5000
        },
        b: { execution_stage_name: 'stage2', start_time: T0, finish_time: String(T0 + 2000) },
        c: { execution_stage_name: 'stage3', start_time: 'soon', duration: 'long' }
      })
    )
    expect(a).toMatchObject({ startMs: T0, finishMs: T0 + 4000, durationMs: 3900 })
    expect(b).toMatchObject({ startMs: T0, finishMs: T0 + 2000, durationMs: 2000 })
    expect(Object.keys(c)).toEqual(['taskName', 'displayName', 'status'])
  })

  it('reads a record: queue, run, trigger, source, and never a parameter value', () => {
    const record = parseBuildRecord({
      build_no: '12',
      status: 'SUCCESS',
      queued_time: '2024-06-26 16:25:05',
      start_time: '2024-06-26 16:25:09',
      finish_time: '2024-06-26 16:27:09',
      duration: 124_000,
      trigger_type: 'MANUAL',
      branch: 'main\u202e',
      tag: 'v1.2',
      revision: 'abc123',
      commit_message: '\n  Fix it\nand more',
      parameters: [{ name: 'KEY', value: 'secret' }]
    })
    expect(record).toEqual({
      buildNumber: 12,
      status: 'success',
      startMs: T0,
      queuedMs: 4000,
      ranMs: 120_000,
      trigger: 'MANUAL',
      branch: 'main',
      tag: 'v1.2',
      commit: 'abc123',
      commitMessage: 'Fix it'
    })
    expect(parseBuildRecord({ pending_duration: 0, queued_time: 5000, build_no: 0 })).toEqual({
      queuedMs: 0
    })
    expect(laterRecord({ branch: 'a', ranMs: 1 }, { ranMs: 2 })).toEqual({ branch: 'a', ranMs: 2 })
  })
})
