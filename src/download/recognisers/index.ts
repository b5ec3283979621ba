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
 * listed (compile errors' first). A new log format is a new module beside this one, added here.
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
