import { execFileSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

/** A small file system of its own, mounted at `dir`, for a disk that fills up for real. */
export interface SmallDisk {
  dir: string
  /** Unmounts it and removes the folder. */
  remove(): void
}

/** Mounts a tmpfs of `bytes` (rounded up to whole pages) at a new folder of the system temp folder. */
export function mountSmallDisk(bytes: number): SmallDisk {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cbl-small-disk-'))
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', dir], { stdio: 'pipe' })
  } catch (error) {
    fs.rmdirSync(dir)
    throw error
  }
  return {
    dir,
    remove: () => {
      execFileSync('umount', [dir], { stdio: 'pipe' })
      fs.rmdirSync(dir)
    }
  }
}

/**
 * Why no small disk can be made here, or undefined when one can: mounting a tmpfs needs Linux
 * and root (CAP_SYS_ADMIN). Found once by mounting one, so that a test file can skip and say why.
 */
export const SMALL_DISK_UNAVAILABLE: string | undefined = (() => {
  if (process.platform !== 'linux') return 'a tmpfs can be mounted only on Linux'
  try {
    mountSmallDisk(4096).remove()
    return undefined
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error)
    return `mounting a tmpfs needs root (CAP_SYS_ADMIN): ${reason}`
  }
})()
