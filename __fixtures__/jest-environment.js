/**
 * Node's jest environment, plus cleanup of the temporary folders tests make with `makeTempDir`
 * (`__fixtures__/temp-dirs.ts`): a passed test's folders are removed when it ends, a failed
 * test's are kept and printed, so `npm test` leaves nothing behind in the system temp folder.
 * Plain JavaScript because jest loads an environment without transforming it.
 */
import * as fs from 'node:fs/promises'
import { TestEnvironment } from 'jest-environment-node'

const REGISTRY = '__cblTempDirs'

function testName(test) {
  const names = []
  for (let block = test; block && block.parent; block = block.parent) names.unshift(block.name)
  return names.join(' › ')
}

export default class TempDirsEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context)
    this.testPath = context.testPath
    // Folders made outside any test (beforeAll, module scope) live as long as the file.
    this.fileDirs = []
    this.anyFailed = false
    this.global[REGISTRY] = this.fileDirs
  }

  async handleTestEvent(event) {
    if (event.name === 'test_start') {
      this.global[REGISTRY] = []
    } else if (event.name === 'test_done') {
      const dirs = this.global[REGISTRY]
      this.global[REGISTRY] = this.fileDirs
      const failed = event.test.errors.length > 0
      this.anyFailed ||= failed
      await this.settle(dirs, failed, `test "${testName(event.test)}" failed`)
    }
  }

  async teardown() {
    await this.settle(this.fileDirs.splice(0), this.anyFailed, `a test in ${this.testPath} failed`)
    await super.teardown()
  }

  async settle(dirs, keep, why) {
    if (keep) {
      for (const dir of dirs) process.stderr.write(`Kept ${dir}: ${why}\n`)
      return
    }
    await Promise.all(dirs.map(dir => fs.rm(dir, { recursive: true, force: true })))
  }
}
