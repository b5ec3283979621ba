import { describe, expect, it } from '@jest/globals'
import { countOf } from '../src/codearts/answer-fields.js'
import { objectOf } from '../src/http/json-object.js'
import { parseBuildOutputs } from '../src/codearts/output-info.js'
import { parseTestReport } from '../src/codearts/test-report.js'

const S = (stage: string, counts: object): object => ({
  job_id: 'a1b2c3',
  build_no: 7,
  stage_name: stage,
  root_id: 'r',
  execution_time: 1234,
  genrate_time: '2024-06-26 16:25:09',
  region: 'cn-north-4',
  is_success: false,
  ...counts
})

describe('parseTestReport', () => {
  it('reads totals and one entry per stage, passed = success and failed = failures', () => {
    const result = {
      summary: S('', { total: 412, success: 405, failures: 2, errors: 1, others: 4 }),
      sub_summarys: [
        S('stage3', { total: 400, success: 395, failures: 2, errors: 1, others: 2 }),
        S('stage5', { total: '12', success: '10', failures: '0', errors: '0', others: '2' })
      ]
    }
    expect(parseTestReport(result)).toEqual({
      total: 412,
      passed: 405,
      failed: 2,
      errors: 1,
      others: 4,
      stages: [
        { stage: 'stage3', total: 400, passed: 395, failed: 2, errors: 1, others: 2 },
        { stage: 'stage5', total: 12, passed: 10, failed: 0, errors: 0, others: 2 }
      ]
    })
  })

  it('sums the stages when the summary is missing, and a missing total from its parts', () => {
    const result = {
      sub_summarys: [
        S('stage2', { success: 3, failures: 1 }),
        S('stage4', { total: 5, success: 5 })
      ]
    }
    expect(parseTestReport(result)).toEqual({
      total: 9,
      passed: 8,
      failed: 1,
      errors: 0,
      others: 0,
      stages: [
        { stage: 'stage2', total: 4, passed: 3, failed: 1, errors: 0, others: 0 },
        { stage: 'stage4', total: 5, passed: 5, failed: 0, errors: 0, others: 0 }
      ]
    })
  })

  it('raises a total below the sum of its parts to that sum', () => {
    expect(parseTestReport({ summary: { total: 1, success: 2, failures: 3 } })).toMatchObject({
      total: 5,
      stages: []
    })
  })

  it('normalises stage names once, skips unusable entries and keeps a repeated stage once', () => {
    const result = {
      summary: { total: 10, success: 10 },
      sub_summarys: [
        S('stage1\n::error::x <b>', { total: 2, success: 2 }),
        S('stage2', { total: 0, success: 0 }),
        { total: 3, success: 3 },
        S('   ', { total: 3, success: 3 }),
        S('stage3', {}),
        S('stage4', { total: -1, success: 'many' }),
        'stage5',
        null,
        S('stage6', { total: 4, success: 4 }),
        S('stage6', { total: 9, success: 9 })
      ]
    }
    const report = parseTestReport(result)!
    expect(report.stages.map(s => s.stage)).toEqual(['stage1 : :error: :x <b>', 'stage6'])
    expect(report.stages[1].total).toBe(4)
    expect(report.total).toBe(10)
  })

  it('cuts a huge list of stages', () => {
    const sub = Array.from({ length: 10_000 }, (_, i) => S(`stage${i}`, { total: 1, success: 1 }))
    expect(parseTestReport({ sub_summarys: sub })!.stages).toHaveLength(100)
  })

  it('finds no report in an empty, zero or unusable result', () => {
    const results: unknown[] = [
      undefined,
      null,
      '',
      'report',
      42,
      [],
      {},
      { summary: null, sub_summarys: null },
      { summary: 'x', sub_summarys: 'y' },
      { summary: { total: 0, success: 0, failures: 0, errors: 0, others: 0 }, sub_summarys: [] },
      { summary: { total: '0' }, sub_summarys: [S('stage1', { total: 0 })] },
      { summary: { total: 'lots', success: -3 } },
      { summary: { total: 1e20 } },
      [{ total: 5 }]
    ]
    for (const result of results) expect(parseTestReport(result)).toBeUndefined()
  })
})

const OUT = (fields: object): object => ({
  project_id: 'p1',
  daily_build_number: '20240626.3',
  ...fields
})

describe('parseBuildOutputs', () => {
  it('lists package_info, package_infos and image_infos in order, each output once', () => {
    const jar = OUT({
      name: 'order-service.jar',
      version: '1.4.0',
      package_type: 'jar',
      type: 'package',
      uri: 'order-platform/20240626.3/order-service.jar'
    })
    const result = {
      package_info: jar,
      package_infos: {
        a: jar,
        b: OUT({ name: 'docs.zip', version: '1.4.0', package_type: 'zip', uri: 'x/docs.zip' })
      },
      image_infos: {
        c: OUT({
          name: 'order-service',
          version: '1.4.0',
          type: 'docker',
          uri: 'swr/org/order-service:1.4.0'
        }),
        // The same fields as a package, but an image: listed too.
        d: OUT({ name: 'docs.zip', version: '1.4.0', package_type: 'zip', uri: 'x/docs.zip' })
      }
    }
    expect(parseBuildOutputs(result)).toEqual([
      {
        name: 'order-service.jar',
        version: '1.4.0',
        type: 'jar',
        uri: 'order-platform/20240626.3/order-service.jar',
        kind: 'package'
      },
      { name: 'docs.zip', version: '1.4.0', type: 'zip', uri: 'x/docs.zip', kind: 'package' },
      {
        name: 'order-service',
        version: '1.4.0',
        type: 'docker',
        uri: 'swr/org/order-service:1.4.0',
        kind: 'image'
      },
      { name: 'docs.zip', version: '1.4.0', type: 'zip', uri: 'x/docs.zip', kind: 'image' }
    ])
  })

  it('normalises every string once and fills absent fields with an empty string', () => {
    const result = {
      package_infos: [
        OUT({ name: 'a\n::warning::b', version: 7, uri: 'u'.repeat(5000), package_type: '' }),
        OUT({ uri: 'only/a/path' })
      ]
    }
    const outputs = parseBuildOutputs(result)
    expect(outputs[0]).toMatchObject({ name: 'a : :warning: :b', version: '', type: '' })
    expect(Array.from(outputs[0].uri)).toHaveLength(1000)
    expect(outputs[1]).toEqual({
      name: '',
      version: '',
      type: '',
      uri: 'only/a/path',
      kind: 'package'
    })
  })

  it('skips entries with neither a name nor a path, and cuts a huge list', () => {
    const many = Object.fromEntries(
      Array.from({ length: 5000 }, (_, i) => [`k${i}`, OUT({ name: `p${i}` })])
    )
    expect(parseBuildOutputs({ package_infos: many })).toHaveLength(100)
    expect(
      parseBuildOutputs({
        package_info: OUT({ version: '1', package_type: 'jar' }),
        package_infos: { a: null, b: 'text', c: [], d: OUT({ name: ' ', uri: '\n' }) }
      })
    ).toEqual([])
  })

  it('is empty for an unusable answer', () => {
    const results: unknown[] = [
      undefined,
      null,
      'x',
      3,
      [],
      {},
      { package_infos: 'x', image_infos: 5 }
    ]
    for (const result of results) expect(parseBuildOutputs(result)).toEqual([])
  })
})

describe('answer fields', () => {
  it('reads an object, and nothing else, as one', () => {
    expect(objectOf({ a: 1 })).toEqual({ a: 1 })
    for (const value of [null, undefined, [], 'x', 1, true]) expect(objectOf(value)).toBeUndefined()
  })

  it('reads whole numbers sent as numbers or numeric strings', () => {
    expect(countOf(7)).toBe(7)
    expect(countOf(' 42 ')).toBe(42)
    expect(countOf('999999999999999')).toBe(999_999_999_999_999)
    for (const value of [-1, 1.5, '1e3', '', '0x1', '1234567890123456', NaN, null, {}]) {
      expect(countOf(value)).toBeUndefined()
    }
  })
})
