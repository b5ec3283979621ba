import { writev } from 'node:fs'
import type { Readable } from 'node:stream'
import { TitledError, TransferError } from '../errors.js'

/** Bytes gathered before a write: a few socket chunks, so fewer thread-pool round trips. */
const BATCH_BYTES = 256 * 1024
/** Writes allowed at once; the body is paused while this many are outstanding. */
const MAX_WRITES = 4

/** Where a log was being written when the disk filled, and how far it got. */
export interface DiskFull {
  dir: string
  /** Bytes of the log written to the file before the disk filled. */
  saved: number
  /** Bytes of the log received by then. */
  received: number
  /** Whether the logs were asked for compressed (`compress: true`). */
  compressed: boolean
}

/** The runner's disk filled while a log was written (ENOSPC): how much was saved, and what helps. */
export class DiskFullError extends TitledError {
  constructor(where: DiskFull, options: ErrorOptions) {
    const helps = where.compressed
      ? '; the logs are already compressed'
      : ', or set compress: true to download the logs compressed'
    super(
      `the disk that holds ${where.dir} is full: ${where.saved} of the ${where.received} bytes received of this log were saved before it filled, and that part was removed. ` +
        `Free space on the runner before this step (remove what earlier steps left there)${helps}.`,
      options
    )
    this.name = 'DiskFullError'
  }

  get title(): string {
    return "The runner's disk is full"
  }
}

export function isDiskFull(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOSPC'
}

/**
 * Writes a body's chunks to a file as they arrive: gathered into batches of BATCH_BYTES, each
 * written at its own offset on the thread pool, several at once. A piped write stream writes
 * each 64 KiB chunk on its own, one at a time, pausing and resuming the socket for nearly every
 * chunk, and every write is a round trip to a pool thread. Memory stays flat: at most
 * MAX_WRITES + 1 batches are held.
 */
export class LogWriter {
  private position = 0
  private landed = 0
  private inFlight = 0
  private batch: Buffer[] = []
  private batchBytes = 0
  private failure?: Error
  private idle?: () => void

  constructor(
    private readonly fd: number,
    private readonly body: Readable
  ) {}

  /** Bytes written to the file so far (once `done` settled: all that were). */
  get written(): number {
    return this.landed
  }

  /** Takes the next chunk, to be written after the ones before it. */
  write(chunk: Buffer): void {
    this.batch.push(chunk)
    this.batchBytes += chunk.length
    if (this.batchBytes >= BATCH_BYTES) this.flush()
  }

  /** Writes what is gathered; resolves once every write has landed, rejects with the first that failed. */
  async done(): Promise<void> {
    this.flush()
    if (this.inFlight > 0) await new Promise<void>(resolve => (this.idle = resolve))
    if (this.failure) throw this.failure
  }

  private flush(): void {
    if (this.batchBytes === 0) return
    const chunks = this.batch
    const at = this.position
    this.position += this.batchBytes
    this.batch = []
    this.batchBytes = 0
    this.inFlight++
    this.writeAt(chunks, at)
    if (this.inFlight === MAX_WRITES) this.body.pause()
  }

  private writeAt(chunks: Buffer[], at: number): void {
    writev(this.fd, chunks, at, (error, written) => {
      const total = chunks.reduce((sum, chunk) => sum + chunk.length, 0)
      if (!error) this.landed += written
      // A file may take part of a batch; one that takes nothing will not take it on a retry.
      if (!error && written === 0) error = new TransferError('the log file accepted no more bytes')
      if (!error && written < total) {
        this.writeAt([Buffer.concat(chunks).subarray(written)], at + written)
        return
      }
      this.inFlight--
      if (error) {
        this.failure ??= error
        this.body.destroy(error)
      } else if (this.inFlight === MAX_WRITES - 1) {
        this.body.resume()
      }
      if (this.inFlight === 0) this.idle?.()
    })
  }
}
