import { FindingList } from './finding-list.js'
import type { Finding, Followed, RecogniserState, Take } from './recogniser.js'

/**
 * The state of a recogniser whose tool prints each failure as a block: a line that opens it (a
 * candidate), then lines that belong to it. A block is closed, and so reported, by the first line
 * that does not belong to it, by the next candidate (when the lines asked for ran out first) or
 * by the log's end; at most one block is open. `close` reports a block's findings in `found`.
 */
export abstract class BlockState<Block> implements RecogniserState {
  protected readonly found = new FindingList()
  private block?: Block

  /** What a candidate line is: undefined when it is not the tool's; else a Take and the block it opens, if any. */
  protected abstract open(line: string): { take: Take; block?: Block } | undefined
  /** A line after the block's lines: whether the block takes it, or undefined when the line ends the block. */
  protected abstract extend(block: Block, line: string): Exclude<Followed, 'done'> | undefined
  /** Reports a block whose lines are all read. */
  protected abstract close(block: Block): void
  /** The findings of the log, once every block is closed. */
  protected findings(): Finding[] {
    return this.found.list()
  }

  candidate(line: string): Take | undefined {
    this.closeOpen()
    const opened = this.open(line)
    this.block = opened?.block
    return opened?.take
  }

  following(line: string): Followed {
    const taken = this.block === undefined ? undefined : this.extend(this.block, line)
    if (taken) return taken
    this.closeOpen()
    return 'done'
  }

  finish(): Finding[] {
    this.closeOpen()
    return this.findings()
  }

  private closeOpen(): void {
    const block = this.block
    if (block === undefined) return
    this.block = undefined
    this.close(block)
  }
}
