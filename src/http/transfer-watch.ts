import { Transform, type TransformCallback } from 'node:stream'
import { TransferError } from '../errors.js'

/** Bytes kept from the start of a body, enough to tell gzip and zip from text. */
export const HEAD_BYTES = 4

interface WatchOptions {
  /** Longest wait for the next bytes before the transfer counts as stalled. */
  idleMs: number
  /** The Content-Length announced, if any; a body ending short of it fails. */
  expectedBytes?: number
  /** Called with the bytes so far, at most every `everyMs`. */
  progress?: { everyMs: number; report: (bytes: number) => void }
}

/**
 * Watches the chunks of a body without being a stream stage: counts bytes, keeps the first few,
 * reports progress and calls `onStall` when no data arrives for `idleMs` (a stalled or trickling
 * server cannot hold the step until the job's time limit).
 */
export class TransferWatch {
  head = Buffer.alloc(0)
  bytes = 0
  private readonly timer: NodeJS.Timeout
  private lastProgress = Date.now()

  constructor(
    private readonly options: WatchOptions,
    onStall: (error: TransferError) => void
  ) {
    this.timer = setTimeout(() => {
      onStall(new TransferError(`no data for ${options.idleMs / 1000} s: the transfer stalled`))
    }, options.idleMs)
  }

  /** Called with every chunk of the body, in order: re-arms the idle timer, reports progress when due. */
  see(chunk: Buffer): void {
    // refresh() re-arms the same timer: far cheaper per chunk than clearing and creating one.
    this.timer.refresh()
    if (this.head.length < HEAD_BYTES) {
      this.head = Buffer.concat([this.head, chunk.subarray(0, HEAD_BYTES - this.head.length)])
    }
    this.bytes += chunk.length
    const progress = this.options.progress
    if (progress && Date.now() - this.lastProgress >= progress.everyMs) {
      this.lastProgress = Date.now()
      progress.report(this.bytes)
    }
  }

  /** Stops watching once the body has ended; the error when it fell short of its Content-Length. */
  end(): TransferError | undefined {
    this.stop()
    const expected = this.options.expectedBytes
    return expected !== undefined && this.bytes !== expected
      ? new TransferError(
          `the body ended after ${this.bytes} of the ${expected} bytes its Content-Length announced`
        )
      : undefined
  }

  /** Stops the idle timer: `end` does it, and so must whoever abandons the body before its end. */
  stop(): void {
    clearTimeout(this.timer)
  }
}

/** A pass-through stream stage that applies a TransferWatch to what flows through it. */
export class TransferWatchStream extends Transform {
  private readonly watch: TransferWatch

  constructor(options: WatchOptions) {
    super()
    this.watch = new TransferWatch(options, error => this.destroy(error))
  }

  get head(): Buffer {
    return this.watch.head
  }

  get bytes(): number {
    return this.watch.bytes
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.watch.see(chunk)
    done(null, chunk)
  }

  override _flush(done: TransformCallback): void {
    done(this.watch.end())
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    this.watch.stop()
    done(error)
  }
}

/** The Content-Length header as a number, when it is one. */
export function contentLength(header: string | undefined): number | undefined {
  return header !== undefined && /^\d+$/.test(header) ? Number(header) : undefined
}
