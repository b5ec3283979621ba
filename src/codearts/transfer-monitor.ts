import { Transform, type TransformCallback } from 'node:stream'
import { TransferError } from '../errors.js'

/** Bytes kept from the start of a body, enough to tell gzip and zip from text. */
export const HEAD_BYTES = 4

/** What a TransferMonitor watches for, and whom it tells. */
export interface MonitorOptions {
  /** Longest wait for the next bytes before the transfer counts as stalled. */
  idleMs: number
  /** The Content-Length announced, if any; a body ending short of it fails. */
  expectedBytes?: number
  /** Called with the bytes so far, at most every `everyMs`. */
  progress?: { everyMs: number; report: (bytes: number) => void }
  /** Sees every chunk on the way through, e.g. to scan the log without another stream stage. */
  observe?: (chunk: Buffer) => void
}

/**
 * A pass-through that watches a response body: counts bytes, keeps the first few, fails when
 * no data arrives for `idleMs` (a stalled or trickling server cannot hold the step until the
 * job's time limit) and when the body ends short of its Content-Length.
 */
export class TransferMonitor extends Transform {
  head = Buffer.alloc(0)
  bytes = 0
  private readonly timer: NodeJS.Timeout
  private lastProgress = Date.now()

  constructor(private readonly options: MonitorOptions) {
    super()
    this.timer = setTimeout(() => {
      this.destroy(
        new TransferError(`no data for ${options.idleMs / 1000} s: the transfer stalled`)
      )
    }, options.idleMs)
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    // refresh() re-arms the same timer: far cheaper per chunk than clearing and creating one.
    this.timer.refresh()
    if (this.head.length < HEAD_BYTES) {
      this.head = Buffer.concat([this.head, chunk.subarray(0, HEAD_BYTES - this.head.length)])
    }
    this.bytes += chunk.length
    this.options.observe?.(chunk)
    const progress = this.options.progress
    if (progress && Date.now() - this.lastProgress >= progress.everyMs) {
      this.lastProgress = Date.now()
      progress.report(this.bytes)
    }
    done(null, chunk)
  }

  override _flush(done: TransformCallback): void {
    clearTimeout(this.timer)
    const expected = this.options.expectedBytes
    if (expected !== undefined && this.bytes !== expected) {
      done(
        new TransferError(
          `the body ended after ${this.bytes} of the ${expected} bytes its Content-Length announced`
        )
      )
      return
    }
    done()
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    clearTimeout(this.timer)
    done(error)
  }
}

/** The Content-Length header as a number, when it is one. */
export function contentLength(header: string | undefined): number | undefined {
  return header !== undefined && /^\d+$/.test(header) ? Number(header) : undefined
}
