import * as core from '@actions/core'
import type { BuildRef } from '../report/run-result.js'
import { readSections, type SectionData } from '../report/summary.js'
import { sanitizeForLog } from '../server-text.js'
import type { RunContext } from './context.js'

/**
 * The summary's own requests, when a summary is asked for, in slots of the run's limiter: asked
 * for before the downloads ask for theirs, they go first on the connections. Their retries go to
 * the debug log only, as their failures do; it never rejects.
 */
export function readSummarySections(ctx: RunContext, build: BuildRef): Promise<SectionData> {
  if (!ctx.inputs.summary) return Promise.resolve(new Map())
  return readSections(
    {
      client: ctx.client,
      build,
      options: {
        retry: ctx.retry,
        signal: ctx.cancellation.signal,
        onRetry: n => core.debug(`summary: retrying a request: ${sanitizeForLog(n.reason)}`)
      }
    },
    ctx.limiter
  )
}
