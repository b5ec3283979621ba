import { randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import * as fs from 'node:fs/promises'
import * as path from 'node:path'
import { pipeline } from 'node:stream/promises'
import type { CodeArtsClient, TaskLogRequest } from '../codearts/client.js'
import { withRetries, type RetryNotice, type RetryPolicy } from '../codearts/retry.js'
import { TransferMonitor, contentLength } from '../codearts/transfer-monitor.js'
import { Inputs } from '../constants.js'
import { ContextError, InputError, TransferError, errorMessage, errorTitle } from '../errors.js'
import { quote } from '../input-reader.js'
import { LOG_EXTENSIONS, extensionFor } from './format.js'
import { mapWithConcurrency } from './pool.js'

/** The outcome of one stage. */
export type StageResult =
  | { stage: string; status: 'downloaded'; file: string; bytes: number; durationMs: number }
  | {
      stage: string
      status: 'failed'
      file: null
      bytes: 0
      durationMs: number
      error: string
      title?: string
    }

/** What to fetch and where to put it. */
export interface DownloadPlan {
  recordId: string
  taskNames: string[]
  logLevel: TaskLogRequest['logLevel']
  compress: boolean
  dir: string
  concurrency: number
}

/** How patiently to fetch, and whom to tell about retries. */
export interface DownloadOptions {
  retry: RetryPolicy
  /** Longest wait for the next body bytes. */
  idleTimeoutMs: number
  onRetry?: (stage: string, notice: RetryNotice) => void
  /** Aborting stops new stages and retries; the caller also cuts open connections. */
  signal?: AbortSignal
}

/** Removes files an earlier run left for this stage under another ending. */
async function removeStale(dir: string, stage: string, keep: string): Promise<void> {
  await Promise.all(
    LOG_EXTENSIONS.map(ext => path.join(dir, `${stage}${ext}`))
      .filter(file => file !== keep)
      .map(file => fs.rm(file, { force: true }))
  )
}

/**
 * Streams one stage's log to `{dir}/{stage}{ext}`: written under a temporary name and renamed
 * when complete, so a file under the final name is always whole.
 */
export async function downloadStage(
  client: CodeArtsClient,
  request: TaskLogRequest,
  dir: string,
  idleTimeoutMs: number
): Promise<{ file: string; bytes: number }> {
  const response = await client.openTaskLog(request)
  const temp = path.join(dir, `.${request.taskName}.${randomBytes(6).toString('hex')}.part`)
  const monitor = new TransferMonitor(
    idleTimeoutMs,
    contentLength(response.headers['content-length'])
  )
  try {
    await pipeline(response, monitor, createWriteStream(temp))
    const file = path.join(dir, `${request.taskName}${extensionFor(monitor.head)}`)
    await fs.rename(temp, file)
    await removeStale(dir, request.taskName, file)
    return { file, bytes: monitor.bytes }
  } catch (error) {
    await fs.rm(temp, { force: true })
    throw explainTransferError(error, monitor.bytes)
  }
}

/** Node reports a connection closed mid-body as a bare 'aborted'; say what it means. */
function explainTransferError(error: unknown, received: number): unknown {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE') {
    return new TransferError(
      `the connection closed after ${received} bytes, before the body was complete (${errorMessage(error)})`
    )
  }
  return error
}

/** Creates the log folder and checks it is writable, before any request is made. */
export async function prepareLogDir(dir: string): Promise<void> {
  try {
    await fs.mkdir(dir, { recursive: true })
    await fs.access(dir, fs.constants.W_OK)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const reason =
      code === 'EEXIST' || code === 'ENOTDIR'
        ? 'a file is in the way of that folder'
        : `the folder cannot be created or written (${code ?? errorMessage(error)})`
    throw new InputError(Inputs.Path, `is ${quote(dir)}, but ${reason}`)
  }
}

/** Downloads every stage with bounded concurrency and retries; a failed stage never stops the others. */
export async function downloadStages(
  client: CodeArtsClient,
  plan: DownloadPlan,
  options: DownloadOptions
): Promise<StageResult[]> {
  return mapWithConcurrency(plan.taskNames, plan.concurrency, async stage => {
    const started = Date.now()
    const request: TaskLogRequest = {
      recordId: plan.recordId,
      taskName: stage,
      logLevel: plan.logLevel,
      compress: plan.compress
    }
    try {
      options.signal?.throwIfAborted()
      const { file, bytes } = await withRetries(
        () => downloadStage(client, request, plan.dir, options.idleTimeoutMs),
        options.retry,
        { signal: options.signal, onRetry: notice => options.onRetry?.(stage, notice) }
      )
      return { stage, status: 'downloaded', file, bytes, durationMs: Date.now() - started }
    } catch (cause) {
      const error = new ContextError(
        `failed to download ${stage} of record ${plan.recordId}`,
        cause
      )
      return {
        stage,
        status: 'failed',
        file: null,
        bytes: 0,
        durationMs: Date.now() - started,
        error: errorMessage(error),
        title: errorTitle(cause)
      }
    }
  })
}
