import { EXIT, type ExitCode } from '../errors.js';
import { childRegistry } from '../process/child-registry.js';
import { writeLastWords } from '../session/forced-exit.js';
import type { SessionStopReason } from './session-stop.js';
import { formatDuration } from '../config/duration.js';
import type { JournalEntry } from '../session/journal-entry.js';

/** What the guard needs: where to say what it does, the session's budget, the stop grace. */
export interface StopGuardOptions {
  stderr: NodeJS.WritableStream;
  timeoutMs: number;
  killGraceMs: number;
  /**
   * The agents' probe bound: before the first launch the session probes the CLIs and self-tests
   * the sandbox (each step bounded by it), time the budget does not count, so the backstop waits for it too.
   */
  probeTimeoutMs?: number;
}

/** Time a stopping session gets to stop its agents and write its summary before it is forced. */
const FORCE_AFTER_MS = 15_000;
/**
 * The backstop comes this long after --timeout (plus the kill grace): each run's own share of the
 * budget is timed from its start and ends it first; the backstop is for a session stuck elsewhere.
 */
const BACKSTOP_MARGIN_MS = 10_000;
/** The journal entries that say the time budget has started (it counts from the first launch). */
const LAUNCH_ENTRIES = new Set(['budget.launch', 'agent.launched', 'agent.start_failed']);

/**
 * The session's ways out that work whatever state it is in: SIGINT/SIGTERM/SIGHUP stop it
 * cleanly (a second one forces), and `--timeout` stops it even when no run is there to time out
 * (a launch that never started). A stop that does not finish within the grace is forced: every
 * agent group is killed, the session writes its outcome (src/session/forced-exit.ts), and
 * orchestrate exits with the stop's code, so nothing ever hangs and what is reported stays true.
 */
export class StopGuard {
  readonly controller = new AbortController();
  private signals = 0;
  private readonly offs: Array<() => void> = [];
  private deadline: NodeJS.Timeout | undefined;
  private force: NodeJS.Timeout | undefined;
  /** The exit code of the stop under way (a signal: interrupted; the --timeout backstop: an agent failure). */
  private code: ExitCode = EXIT.INTERRUPTED;
  private launched = false;

  constructor(private readonly opts: StopGuardOptions) {
    for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      const h = (): void => this.onSignal(s);
      process.on(s, h);
      this.offs.push(() => process.off(s, h));
    }
    // before the first launch: the probes and the sandbox self-test (their own bounds) come first
    const probeMs = opts.probeTimeoutMs;
    this.armBackstop(probeMs === undefined ? 0 : probeMs + Math.max(3 * probeMs, 30_000));
  }

  /**
   * A journal listener: at the first launch the time budget starts, and so does the backstop's
   * count, so however long the start took under load, each run's own timeout ends it first.
   */
  readonly onEntry = (entry: Pick<JournalEntry, 'type'>): void => {
    if (this.launched || !LAUNCH_ENTRIES.has(entry.type)) return;
    this.launched = true;
    this.armBackstop(0);
  };

  private armBackstop(beforeLaunchMs: number): void {
    clearTimeout(this.deadline);
    if (this.controller.signal.aborted) return;
    const { timeoutMs, killGraceMs, stderr } = this.opts;
    this.deadline = setTimeout(
      () => {
        const reason = `the session ran past its --timeout of ${formatDuration(timeoutMs)}`;
        stderr.write(`orchestrate: ${reason}: stopping the agents\n`);
        this.stop({ code: EXIT.AGENT_FAILED, reason, by: 'timeout' });
      },
      beforeLaunchMs + timeoutMs + killGraceMs + BACKSTOP_MARGIN_MS,
    );
    this.deadline.unref();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Removes the handlers and timers (the session ended). */
  close(): void {
    for (const off of this.offs) off();
    clearTimeout(this.deadline);
    clearTimeout(this.force);
  }

  private onSignal(signal: NodeJS.Signals): void {
    this.signals += 1;
    if (this.signals === 1) {
      this.opts.stderr.write(`\norchestrate: ${signal}: stopping the agents (again to force)\n`);
      this.stop(undefined);
    } else {
      this.code = EXIT.INTERRUPTED;
      this.forceExit(`${signal} again`);
    }
  }

  private stop(reason: SessionStopReason | undefined): void {
    if (this.controller.signal.aborted) return;
    if (reason) this.code = reason.code;
    this.controller.abort(reason);
    // a forced exit of the backstop's stop still says why the session was stopped
    const late = reason ? `${reason.reason} and its stop did not finish in time` : 'the stop did not finish in time';
    this.force = setTimeout(() => this.forceExit(late), this.opts.killGraceMs + FORCE_AFTER_MS);
    this.force.unref();
  }

  private forceExit(why: string): never {
    childRegistry.killAll();
    const report = (line: string): void => void this.opts.stderr.write(`${line}\n`);
    writeLastWords(this.code, `the stop was forced: ${why}`, report);
    report(`orchestrate: ${why}: killed every agent process group; exiting`);
    process.exit(this.code);
  }
}
