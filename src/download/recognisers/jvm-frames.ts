import type { ReportedPlace } from './recogniser.js'

/** One line of a JVM stack trace: `at com.example.OrderTest.placesOrder(OrderTest.java:15)`. */
export interface JvmFrame {
  /** `com.example.OrderTest`, or `com.example.OrderTest$Inner` for a nested class. */
  className: string
  method: string
  /** The source file's name as the frame gives it: `OrderTest.java`. */
  file?: string
  line?: number
}

// `at`, an optional class loader and module (`app//`, `java.base@17/`), the class (dotted
// identifiers), the method (Kotlin allows spaces in it), then `(File.java:15)`, `(Native Method)`
// or `(Unknown Source)`. Anything after the parenthesis (logback's `~[jar:na]`) is ignored.
const FRAME =
  /^\s*at (?:[^\s/()]+\/\/?)?(?:[^\s/()]+\/)?([\w$]+(?:\.[\w$]+)*)\.([^.()]+)\(([^()]*)\)/
const FILE_LINE = /^([^:/\\]+):(\d+)$/

/** The frame on a line of a stack trace, or undefined when the line is not one. */
export function parseJvmFrame(line: string): JvmFrame | undefined {
  const match = FRAME.exec(line)
  if (!match) return undefined
  const [, className, method, source] = match
  const fileLine = FILE_LINE.exec(source)
  if (!fileLine) return { className, method }
  return { className, method, file: fileLine[1], line: Number(fileLine[2]) }
}

/** `com.example.OrderTest` for `com.example.OrderTest$Inner`: the class a source file holds. */
export function outerClassName(className: string): string {
  const nested = className.indexOf('$')
  return nested < 0 ? className : className.slice(0, nested)
}

/** `OrderTest` for `com.example.OrderTest`, `OrderTest$Inner` for `com.example.OrderTest$Inner`. */
export function simpleClassName(className: string): string {
  return className.slice(className.lastIndexOf('.') + 1)
}

/**
 * The place of a source file named `file` that holds a class: the class's package as folders and
 * the file's name (`com/example/OrderTest.java` for `com.example.OrderTest` and `OrderTest.java`).
 */
export function classFilePlace(className: string, file: string, line?: number): ReportedPlace {
  const outer = outerClassName(className)
  const dot = outer.lastIndexOf('.')
  const path = dot < 0 ? file : `${outer.slice(0, dot).replace(/\./g, '/')}/${file}`
  return line === undefined ? { path } : { path, line }
}

/** The place a frame points at, when it names its file. */
export function framePlace(frame: JvmFrame): ReportedPlace | undefined {
  return frame.file === undefined
    ? undefined
    : classFilePlace(frame.className, frame.file, frame.line)
}

/** Whether a frame runs code of the class `className` or of a class nested in it. */
export function frameInClass(frame: JvmFrame, className: string): boolean {
  return frame.className === className || frame.className.startsWith(`${className}$`)
}

/** A test method's name without its parameters or invocation: `countsLines` for `countsLines(int)[1]`. */
export function methodBaseName(method: string): string {
  const end = method.search(/[([{ ]/)
  return end < 0 ? method : method.slice(0, end)
}

/**
 * The frame that locates a failing test among the frames of its failure, one at a time: the first
 * frame in the test's method, else the first frame in the test's class (a helper it called, a
 * lambda in it). `inTestClass` says whether a frame runs code of the test's class. Holds two
 * frames whatever the length of the trace.
 */
export class TestFrameChooser {
  private inMethod?: JvmFrame
  private inClass?: JvmFrame

  constructor(
    private readonly inTestClass: (frame: JvmFrame) => boolean,
    private readonly method: string
  ) {}

  offer(frame: JvmFrame): void {
    if (this.inMethod || !this.inTestClass(frame)) return
    if (frame.method === methodBaseName(this.method)) this.inMethod = frame
    else this.inClass ??= frame
  }

  chosen(): JvmFrame | undefined {
    return this.inMethod ?? this.inClass
  }
}
