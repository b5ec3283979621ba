import * as fs from 'node:fs/promises'
import * as os from 'node:os'
import * as path from 'node:path'

/** The global through which `__fixtures__/jest-environment.js` hands each test its list. */
const REGISTRY = '__cblTempDirs'

/**
 * Makes a temporary folder. Under jest the test environment removes it once its test has
 * passed, or keeps it and prints where when the test failed; elsewhere the caller removes it.
 */
export async function makeTempDir(prefix: string, parent = os.tmpdir()): Promise<string> {
  const dir = await fs.mkdtemp(path.join(parent, prefix))
  const registry: unknown = (globalThis as Record<string, unknown>)[REGISTRY]
  if (Array.isArray(registry)) registry.push(dir)
  return dir
}
