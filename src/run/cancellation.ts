import * as core from '@actions/core'
import { stopBuild } from '../codearts/build-stop.js'
import type { JobBuild } from '../codearts/job-build.js'
import type { CodeArtsClient } from '../codearts/client.js'
import { START_ANSWER_MS, STOP_TIMEOUT_MS } from '../constants.js'
import { errorMessage } from '../errors.js'
import type { OnRetry, RetryPolicy } from '../http/retry.js'

/** How far a cancelled run got with the logs, for the one sentence that says so. */
type CancelledAt =
  | { logs: 'none' }
  | { logs: 'downloading'; complete: number; total: number; dir: string }
  | { logs: 'fetched' }

/**
 * What the run's signals abort with: the runner's cancel. It never reaches a user as it is: a
 * step a cancel lands in ends with RunCancelled (see Cancellation.step), and a cancelled run
 * is reported by cancelledSentence alone; at most a debug line quotes it.
 */
export class CancelSignalled extends Error {
  constructor(readonly signal: NodeJS.Signals) {
    super(`cancelled by ${signal}`)
    this.name = 'CancelSignalled'
  }
}

/** The run was cancelled; says how far it got with the logs. */
export class RunCancelled extends Error {
  constructor(readonly at: CancelledAt = { logs: 'none' }) {
    super('The step was cancelled')
    this.name = 'RunCancelled'
  }
}

/** The one sentence a cancelled run ends with: how far it got, and what became of its build. */
export function cancelledSentence(at: CancelledAt, buildOutcome: string): string {
  const kept =
    at.logs === 'none'
      ? ' before any log was downloaded; nothing was uploaded.'
      : at.logs === 'fetched'
        ? ' after its logs were fetched.'
        : `: ${at.complete} of ${at.total} logs were complete and stay in ${at.dir}; nothing was uploaded.`
  return `The step was cancelled${kept}${buildOutcome ? ` ${buildOutcome}` : ''}`
}

/** How the run is cancelled, and whether a build it started is stopped with it. */
interface CancellationOptions {
  stopOnCancel: boolean
  retry: RetryPolicy
  /** Told of each retry of the stop request. */
  onRetry: OnRetry
}

/**
 * Turns SIGINT and SIGTERM (a cancelled workflow) into an aborted signal and, for a build this
 * step started and that has not ended, one stop request. The runner sends SIGINT, SIGTERM about
 * 7.5 s later, then kills the process, so everything after the signal (the answer of a start in
 * flight, then the stop) has STOP_TIMEOUT_MS.
 */
export class Cancellation {
  private readonly controller = new AbortController()
  // A start in flight is not cut by the cancel: its answer names the build to stop.
  private readonly startController = new AbortController()
  private pendingStart?: { jobId: string; answer: Promise<number> }
  private build?: JobBuild
  /** What a stop is sent with: there is none before the sign-in, and no build to stop either. */
  private client?: CodeArtsClient
  private stopping?: Promise<string>
  private readonly onSignal = (signal: NodeJS.Signals): void => this.cancel(signal)

  constructor(private readonly options: CancellationOptions) {
    // `on`, not `once`: the runner's SIGTERM after its SIGINT must not kill the stop in flight.
    process.on('SIGTERM', this.onSignal)
    process.on('SIGINT', this.onSignal)
  }

  /** Aborted once the run is cancelled. */
  get signal(): AbortSignal {
    return this.controller.signal
  }

  /** The signal of a start request: aborted only START_ANSWER_MS after a cancel. */
  get startSignal(): AbortSignal {
    return this.startController.signal
  }

  /**
   * Runs one step of the run: a cancel that lands in it, thrown or swallowed, ends the run as
   * cancelled (`at` says how far it got), so no step has to remember the cancel in its own
   * error handling.
   */
  async step<T>(run: () => Promise<T>, at?: CancelledAt): Promise<T> {
    let value: T
    try {
      value = await run()
    } catch (error) {
      if (error instanceof RunCancelled || !this.signal.aborted) throw error
      throw new RunCancelled(at)
    }
    if (this.signal.aborted) throw new RunCancelled(at)
    return value
  }

  /** Signed in: a build this step starts is stopped through `client`. */
  signedIn(client: CodeArtsClient): void {
    this.client = client
  }

  /** A start request for `jobId` was sent; `answer` settles with the build number. */
  starting(jobId: string, answer: Promise<number>): void {
    this.pendingStart = { jobId, answer }
  }

  /** This step started the build: stop it if the run is cancelled before it ends. */
  started(build: JobBuild): void {
    this.pendingStart = undefined
    this.build = build
  }

  /** The build ended, or goes on alone (a wait ran out, or a detached start): nothing to stop. */
  forgetBuild(): void {
    this.pendingStart = undefined
    this.build = undefined
  }

  /** What became of the build this step started, once the stop (if any) has settled. */
  async outcome(): Promise<string> {
    return this.stopping ?? ''
  }

  /** Stops listening for signals. */
  close(): void {
    process.off('SIGTERM', this.onSignal)
    process.off('SIGINT', this.onSignal)
  }

  private cancel(signal: NodeJS.Signals): void {
    if (this.controller.signal.aborted) {
      core.info(`Received ${signal} again: still stopping`)
      return
    }
    core.info(`Received ${signal}: stopping; complete logs stay where they were saved`)
    const deadline = Date.now() + STOP_TIMEOUT_MS
    setTimeout(
      () => this.startController.abort(new CancelSignalled(signal)),
      START_ANSWER_MS
    ).unref()
    // The stop is under way before the signal's listeners (the run's owner) hear of the cancel.
    this.stopping = this.settle(deadline)
    this.controller.abort(new CancelSignalled(signal))
  }

  /** Stops the build this step started, once a start in flight has named it. */
  private async settle(deadline: number): Promise<string> {
    const pending = this.pendingStart
    let build = this.build
    if (pending && !build) {
      try {
        build = { jobId: pending.jobId, buildNumber: await pending.answer }
      } catch {
        return `The start request for job ${pending.jobId} had been sent, so a build may have started: check the job's build history in the CodeArts console.`
      }
    }
    // A build is started only once signed in, so a build comes with a client.
    if (!build || !this.client) return ''
    if (!this.options.stopOnCancel) {
      return `Build ${build.buildNumber} of job ${build.jobId} goes on running (stop-on-cancel: false).`
    }
    return this.stop(this.client, build, deadline)
  }

  private async stop(
    client: CodeArtsClient,
    jobBuild: JobBuild,
    deadline: number
  ): Promise<string> {
    const build = `build ${jobBuild.buildNumber} of job ${jobBuild.jobId}`
    core.info(`Stopping ${build} (stop-on-cancel)`)
    try {
      const answer = await stopBuild(client, jobBuild, {
        retry: this.options.retry,
        signal: AbortSignal.timeout(Math.max(0, deadline - Date.now())),
        onRetry: this.options.onRetry
      })
      const said = answer.result ? ` (${answer.result})` : ''
      const outcome = answer.accepted
        ? `CodeArts accepted the stop of ${build}${said}.`
        : `CodeArts did not accept the stop of ${build}${said}: it may go on running; stop it in the console.`
      core.info(outcome)
      return outcome
    } catch (error) {
      const outcome = `The stop request for ${build} failed: ${errorMessage(error)} It may go on running; stop it in the console.`
      core.info(outcome)
      return outcome
    }
  }
}
