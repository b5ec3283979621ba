import { objectOf } from '../http/json-object.js'
import type { JobBuild } from './job-build.js'
import type { CallOptions, CodeArtsClient } from './client.js'
import { TextLimit, serverText } from '../server-text.js'

/** One thing a build produced, as `GET /v3/jobs/{job_id}/{build_no}/output-info` lists it. */
export interface BuildOutput {
  name: string
  version: string
  /** `package_type` (`jar`, `zip`, …), else `type`. */
  type: string
  /** The output's path in the release repository. */
  uri: string
  kind: 'package' | 'image'
}

/** More outputs than a build lists; a longer answer is cut, so a hostile one stays small. */
const MAX_OUTPUTS = 100

/** The entries of a map (as documented) or of a list (as a server may send it). */
function entriesOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value
  const map = objectOf(value)
  return map ? Object.values(map) : []
}

function outputOf(value: unknown, kind: BuildOutput['kind']): BuildOutput | undefined {
  const entry = objectOf(value)
  if (!entry) return undefined
  const name = serverText(entry.name, TextLimit.Name) ?? ''
  const uri = serverText(entry.uri, TextLimit.Message) ?? ''
  if (name === '' && uri === '') return undefined
  return {
    name,
    version: serverText(entry.version, TextLimit.Name) ?? '',
    type:
      serverText(entry.package_type, TextLimit.Name) ??
      serverText(entry.type, TextLimit.Name) ??
      '',
    uri,
    kind
  }
}

/**
 * Reads the `result` of `GET /v3/jobs/{job_id}/{build_no}/output-info`: `package_info`, then the
 * `package_infos` and `image_infos` maps, into one list in that order, each output once (the
 * same name, version, type, path and kind). An entry with neither a name nor a path is skipped;
 * absent fields are ''. Empty when nothing is usable.
 */
export function parseBuildOutputs(result: unknown): BuildOutput[] {
  const answer = objectOf(result)
  if (!answer) return []
  const candidates: [unknown, BuildOutput['kind']][] = [
    [answer.package_info, 'package'],
    ...entriesOf(answer.package_infos).map((v): [unknown, 'package'] => [v, 'package']),
    ...entriesOf(answer.image_infos).map((v): [unknown, 'image'] => [v, 'image'])
  ]
  const outputs: BuildOutput[] = []
  const seen = new Set<string>()
  for (const [value, kind] of candidates) {
    if (outputs.length >= MAX_OUTPUTS) break
    const output = outputOf(value, kind)
    if (!output) continue
    const key = JSON.stringify([output.name, output.version, output.type, output.uri, kind])
    if (seen.has(key)) continue
    seen.add(key)
    outputs.push(output)
  }
  return outputs
}

/** What a job's build produced (`GET /v3/jobs/{job_id}/{build_no}/output-info`). */
export function readBuildOutputs(
  client: CodeArtsClient,
  build: JobBuild,
  options: CallOptions
): Promise<BuildOutput[]> {
  return client.call(
    {
      pathname: `/v3/jobs/${encodeURIComponent(build.jobId)}/${build.buildNumber}/output-info`,
      read: parseBuildOutputs
    },
    options
  )
}
