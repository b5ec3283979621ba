import { randomBytes } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import * as fs from 'node:fs/promises'
import * as path from 'node:path'
import { addAbortSignal } from 'node:stream'
import { finished } from 'node:stream/promises'
import type { CodeArtsClient } from '../codearts/client.js'
import { openLog, type TaskLogRequest } from '../codearts/log-api.js'
import { Inputs } from '../constants.js'
import { ContextError, InputError, TransferError, errorMessage, errorTitle } from '../errors.js'
import type { Limiter } from '../http/limiter.js'
import { withRetries, type OnRetry, type RetryPolicy } from '../http/retry.js'
import { TransferWatch, contentLength } from '../http/transfer-watch.js'
import { quote } from '../input-reader.js'
import { LOG_EXTENSIONS, extensionFor } from './format.js'
import { LogScanner, type LogStats } from './log-scanner.js'
import { DiskFullError, LogWriter, isDiskFull } from './log-writer.js'

export type StageResult =
  | {
      stage: string
      status: 'downloaded'
      file: string
      bytes: number
      durationMs: number
      attempts: number
      /** Undefined for a compressed log, which is not scanned. */
      stats?: LogStats
    }
  | {
      stage: string
      status: 'failed'
      file: null
      bytes: 0
      durationMs: number
      attempts: number
      error: string
      title?: string
    }

interface DownloadPlan {
  recordId: string
  taskNames: string[]
  logLevel: TaskLogRequest['logLevel']
  compress: boolean
  dir: string
}

/** How patiently to fetch, and whom to tell about progress and retries. */
interface DownloadOptions {
  retry: RetryPolicy
  /** Longest wait for the next body bytes. */
  idleTimeoutMs: number
  onRetryOf?: (stage: string) => OnRetry
  /** Called every `progressEveryMs` while a body streams, with the bytes so far. */
  onProgress?: (stage: string, bytes: number, elapsedMs: number) => void
  progressEveryMs?: number
  /** Called with the size of every body chunk received, of every stage. */
  onBytes?: (bytes: number) => void
  /** Aborting stops new stages and retries; the caller also cuts open connections. */
  signal?: AbortSignal
  /** The run's request slots: each stage holds one from its first request to its last. */
  limiter: Limiter
}

interface SavedLog {
  file: string
  bytes: number
  stats?: LogStats
}

/** Removes the stage's log under the endings other than `keep` (all of them when absent). */
async function removeOtherEndings(dir: string, stage: string, keep?: string): Promise<void> {
  await Promise.all(
    LOG_EXTENSIONS.map(ext => path.join(dir, `${stage}${ext}`))
      .filter(file => file !== keep)
      .map(file => fs.rm(file, { force: true }))
  )
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

/** Watches a log's body for stalls and a short end, and reports its progress when asked to. */
function watchBody(
  response: IncomingMessage,
  stage: string,
  started: number,
  options: Pick<DownloadOptions, 'idleTimeoutMs' | 'onProgress' | 'progressEveryMs'>
): TransferWatch {
  const { onProgress, progressEveryMs } = options
  return new TransferWatch(
    {
      idleMs: options.idleTimeoutMs,
      expectedBytes: contentLength(response.headers['content-length']),
      progress:
        onProgress && progressEveryMs
          ? {
              everyMs: progressEveryMs,
              report: bytes => onProgress(stage, bytes, Date.now() - started)
            }
          : undefined
    },
    error => response.destroy(error)
  )
}

/**
 * Streams one stage's log to `{dir}/{stage}{ext}`, scanning it on the way: written under a
 * temporary name and renamed when complete, so a file under the final name is always whole.
 */
async function downloadStage(
  client: CodeArtsClient,
  request: TaskLogRequest,
  dir: string,
  options: Pick<
    DownloadOptions,
    'idleTimeoutMs' | 'onProgress' | 'progressEveryMs' | 'onBytes' | 'signal'
  >
): Promise<SavedLog> {
  const started = Date.now()
  const response = await openLog(client, request, options.signal)
  const temp = path.join(dir, `.${request.taskName}.${randomBytes(6).toString('hex')}.part`)
  const { onBytes } = options
  const scanner = new LogScanner()
  const watch = watchBody(response, request.taskName, started, options)
  let handle: fs.FileHandle | undefined
  let writer: LogWriter | undefined
  try {
    handle = await fs.open(temp, 'w')
    const file = new LogWriter(handle.fd, response)
    writer = file
    if (options.signal) addAbortSignal(options.signal, response)
    // One 'data' listener writes, watches and scans each chunk: no stream stages in between.
    response.on('data', (chunk: Buffer) => {
      file.write(chunk)
      watch.see(chunk)
      scanner.write(chunk)
      onBytes?.(chunk.length)
    })
    await finished(response)
    await file.done()
    await handle.close()
    const short = watch.end()
    if (short) throw short
    const saved = path.join(dir, `${request.taskName}${extensionFor(watch.head)}`)
    await fs.rename(temp, saved)
    await removeOtherEndings(dir, request.taskName, saved)
    return { file: saved, bytes: watch.bytes, stats: scanner.finish() }
  } catch (error) {
    watch.stop()
    response.destroy()
    // The descriptor is closed only after the writes in flight: a reused number must not get them.
    await writer?.done().catch(() => undefined)
    await handle?.close().catch(() => undefined)
    await fs.rm(temp, { force: true })
    if (isDiskFull(error)) {
      const where = { dir, saved: writer?.written ?? 0, received: watch.bytes }
      throw new DiskFullError({ ...where, compressed: request.compress }, { cause: error })
    }
    throw explainTransferError(error, watch.bytes)
  }
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

/**
 * Downloads every stage with retries, in the order given, each in a slot of the limiter; a
 * failed stage never stops the others. The results are in the order of the stages.
 */
export function downloadStages(
  client: CodeArtsClient,
  plan: DownloadPlan,
  options: DownloadOptions
): Promise<StageResult[]> {
  const { limiter } = options
  return Promise.all(
    plan.taskNames.map(stage => limiter.run(() => downloadOne(client, plan, stage, options)))
  )
}

/** One stage's log under the retry policy, as a result that says how it went. */
async function downloadOne(
  client: CodeArtsClient,
  plan: DownloadPlan,
  stage: string,
  options: DownloadOptions
): Promise<StageResult> {
  const started = Date.now()
  const request: TaskLogRequest = {
    recordId: plan.recordId,
    taskName: stage,
    logLevel: plan.logLevel,
    compress: plan.compress
  }
  let attempts = 1
  try {
    options.signal?.throwIfAborted()
    const onRetry = options.onRetryOf?.(stage)
    const saved = await withRetries(
      () => downloadStage(client, request, plan.dir, options),
      options.retry,
      {
        signal: options.signal,
        onRetry: notice => {
          attempts++
          onRetry?.(notice)
        }
      }
    )
    return { stage, status: 'downloaded', ...saved, durationMs: Date.now() - started, attempts }
  } catch (cause) {
    // A log an earlier run left for this stage must not pass for this run's.
    await removeOtherEndings(plan.dir, stage)
    const error = new ContextError(`failed to download ${stage} of record ${plan.recordId}`, cause)
    return {
      stage,
      status: 'failed',
      file: null,
      bytes: 0,
      durationMs: Date.now() - started,
      attempts,
      error: errorMessage(error),
      title: errorTitle(cause)
    }
  }
}
