import * as core from '@actions/core'
import { readBuildOutputs, type BuildOutput } from '../codearts/output-info.js'
import { Outputs } from '../constants.js'
import { escapeForSummary } from './markdown.js'
import type { Section } from './sections.js'

/**
 * What the build produced (`GET /v3/jobs/{job_id}/{build_no}/output-info`): a row per package
 * and image, and the `packages` output, `[]` when there is nothing to list.
 */
export const produced: Section<BuildOutput[]> = {
  name: 'Produced',
  read: async ({ client, build: { jobBuild }, options }) => {
    if (!jobBuild) return undefined
    const outputs = await readBuildOutputs(client, jobBuild, options)
    if (outputs.length === 0) core.debug('summary: the build lists no packages or images')
    return outputs
  },
  render: (_summary, _fit, outputs) => {
    if (!outputs || outputs.length === 0) return []
    const cell = (text: string): string => escapeForSummary(text)
    return [
      '### Produced',
      '',
      '| Kind | Name | Version | Type | Path |',
      '| --- | --- | --- | --- | --- |',
      ...outputs.map(
        o =>
          `| ${o.kind} | ${cell(o.name)} | ${cell(o.version)} | ${cell(o.type)} | ${cell(o.uri)} |`
      ),
      ''
    ]
  },
  outputs: outputs => ({
    [Outputs.Packages]: JSON.stringify(
      (outputs ?? []).map(({ name, version, type, uri, kind }) => ({
        name,
        version,
        type,
        uri,
        kind
      }))
    )
  })
}
