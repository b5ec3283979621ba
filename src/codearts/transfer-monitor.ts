import { Transform, type TransformCallback } from 'node:stream'
import { TransferError } from '../errors.js'

/** Bytes kept from the start of a body, enough to tell gzip and zip from text. */
export const HEAD_BYTES = 4

/**
 * A pass-through that watches a response body: counts bytes, keeps the first few, fails when
 * no data arrives for `idleMs` (a stalled or trickling server cannot hold the step until the
 * job's time limit) and when the body ends short of its Content-Length.
 */
export class TransferMonitor extends Transform {
  head = Buffer.alloc(0)
  bytes = 0
  private timer: NodeJS.Timeout | undefined
  private lastProgress = Date.now()

  constructor(
    private readonly idleMs: number,
    private readonly expectedBytes?: number,
    private readonly progress?: { everyMs: number; report: (bytes: number) => void }
  ) {
    super()
    this.arm()
  }

  private arm(): void {
    clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      this.destroy(new TransferError(`no data for ${this.idleMs / 1000} s: the transfer stalled`))
    }, this.idleMs)
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.arm()
    if (this.head.length < HEAD_BYTES) {
      this.head = Buffer.concat([this.head, chunk.subarray(0, HEAD_BYTES - this.head.length)])
    }
    this.bytes += chunk.length
    if (this.progress && Date.now() - this.lastProgress >= this.progress.everyMs) {
      this.lastProgress = Date.now()
      this.progress.report(this.bytes)
    }
    done(null, chunk)
  }

  override _flush(done: TransformCallback): void {
    clearTimeout(this.timer)
    if (this.expectedBytes !== undefined && this.bytes !== this.expectedBytes) {
      done(
        new TransferError(
          `the body ended after ${this.bytes} of the ${this.expectedBytes} bytes its Content-Length announced`
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
