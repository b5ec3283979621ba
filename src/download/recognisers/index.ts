import { cargoTestRecogniser } from './cargo-test.js'
import { csharpRecogniser } from './csharp.js'
import { dotnetTestRecogniser } from './dotnet-test.js'
import { gccRecogniser } from './gcc.js'
import { goBuildRecogniser } from './go-build.js'
import { goTestRecogniser } from './go-test.js'
import { gradleTestRecogniser } from './gradle-test.js'
import { javacRecogniser } from './javac.js'
import { jestRecogniser } from './jest.js'
import { kotlinRecogniser } from './kotlin.js'
import { mavenCompilerRecogniser } from './maven-compiler.js'
import { pytestRecogniser } from './pytest.js'
import type { Recogniser } from './recogniser.js'
import { rustcRecogniser } from './rustc.js'
import { surefireRecogniser } from './surefire.js'
import { tscRecogniser } from './tsc.js'
import { vitestRecogniser } from './vitest.js'

/**
 * The recognisers the scanner drives over every stage log, in the order their findings are
 * listed (compile errors' first). A new log format is a new module beside this one (see
 * recogniser.ts for the contract), added here; its name must differ from the others'.
 *
 * What a recogniser costs the scan (workload 9 of scripts/bench measures it):
 * - Its triggers join the byte pass (scan-kernel.ts), which looks for all of them at once. A line
 *   without a trigger costs no JavaScript, whatever the recognisers. Each trigger is found by
 *   three of its bytes, chosen by `npm run fingerprints` (run it after changing a trigger: a test
 *   fails until then, and the byte pass falls back to rougher choices); a trigger that is a
 *   common word (`Error`, `Failures:`), or whose every three bytes are common, makes the byte
 *   pass stop and compare more often.
 * - A line that holds a trigger is decoded, cleaned by `toolLine` and handed to the recogniser:
 *   about a microsecond with the recogniser's own matching. A trigger found on ordinary lines
 *   (Maven's `Tests run:` after every test class) multiplies the scan's cost on such logs.
 * So a trigger should be what only the failure prints: `<<< FAILURE!`, not `Tests run:`.
 */
export const RECOGNISERS: readonly Recogniser[] = [
  mavenCompilerRecogniser,
  javacRecogniser,
  kotlinRecogniser,
  gccRecogniser,
  tscRecogniser,
  rustcRecogniser,
  goBuildRecogniser,
  csharpRecogniser,
  surefireRecogniser,
  gradleTestRecogniser,
  goTestRecogniser,
  jestRecogniser,
  vitestRecogniser,
  pytestRecogniser,
  cargoTestRecogniser,
  dotnetTestRecogniser
]
