import { systemClock } from '../clock.js';
import { ORCHESTRATE_BIN, homeOf } from '../paths.js';
import { startWatchdog, type Watchdog } from '../process/watchdog.js';
import { createCommandGuard } from '../safety/command-guard.js';
import { createConfirmDecider } from '../safety/confirm/decider.js';
import type { EventPolicy } from '../safety/event-policy.js';
import type { ResolvedLimits } from '../safety/limits/resolve-limits.js';
import { allowedWriteRoots, createPathGuard } from '../safety/path-guard.js';
import { sweepSessions } from '../session/sweep.js';
import { chooseSandbox, sandboxSessionFor } from './choose-sandbox.js';
import { filterContextFor } from './launch-context.js';
import type { SandboxPlan } from './sandbox-plan.js';
import type { SessionOptions } from './session-options.js';
import { StopGuard } from './stop-guard.js';
import { runSession, type SessionResult } from './supervisor.js';

/**
 * What the CLI resolved from its flags and the config, parsed and checked: the session's options
 * except the parts this module builds (sandbox, policies, confirm, watchdog, stop signal, clock).
 */
export type LaunchSettings = Omit<
  SessionOptions,
  | 'sandbox'
  | 'policies'
  | 'confirm'
  | 'watchdog'
  | 'signal'
  | 'clock'
  | 'ask'
  | 'answerQuestion'
  | 'onJournal'
  | 'orchestrateBin'
  | 'limits'
> & {
  /** Memory/CPU/process limits per agent run (config `limits`, resolved); the sandbox's kernel limits too. */
  limits: ResolvedLimits;
  /** false with --no-sandbox. */
  sandbox: boolean;
  /** `--on-confirm` (or the config's `onConfirm`): the answer to confirm-class commands when nobody is asked. */
  onConfirm?: 'deny' | 'allow';
  /** Where the sweep and the stop guard say what they do (stderr). */
  report: NodeJS.WritableStream;
};

/** One question the session puts to a person. */
export interface PersonQuestion {
  kind: 'confirm' | 'escalation';
  question: string;
  detail?: string;
  signal?: AbortSignal;
}

/** Who can answer the session's questions, and how to reach them (the CLI renders the asking). */
export interface SessionPeople {
  /** A person at a terminal on both ends. */
  terminal: boolean;
  /** This run's dashboard page is up: a person may answer there. */
  page: boolean;
  /** Asks wherever a person can answer; absent when nobody can. */
  ask?: (q: PersonQuestion) => Promise<'yes' | 'no' | 'timeout'>;
  answerQuestion?: SessionOptions['answerQuestion'];
  onJournal?: SessionOptions['onJournal'];
}

/**
 * Builds what `runSession` needs around the CLI's settings, in the order a run has always done it:
 * `prepare` chooses the sandbox (refusing to start without one); `begin` ends the leftovers of
 * crashed sessions and starts the watchdog and the stop guard; `run` builds the safety policies
 * and the confirm decider and runs the session; `close` ends the watchdog and the guard.
 */
export class SessionLaunch {
  private watchdog: Watchdog | undefined;
  private guard: StopGuard | undefined;

  private constructor(
    private readonly settings: LaunchSettings,
    private readonly sandbox: SandboxPlan,
  ) {}

  static async prepare(settings: LaunchSettings): Promise<SessionLaunch> {
    const { config, target, workspace, limits, env } = settings;
    const session = sandboxSessionFor(config, target, workspace, limits);
    return new SessionLaunch(settings, await chooseSandbox(settings.sandbox, env, session));
  }

  /** Ends the process groups of sessions whose supervisor died; starts the watchdog and the stop guard. */
  begin(): void {
    const { report, workspace, killGraceMs, env, timeoutMs, probeTimeoutMs } = this.settings;
    for (const s of sweepSessions(workspace).swept) {
      report.write(`orchestrate: session ${s.id} had crashed (${s.reason}); ended ${s.swept.length} leftover process(es)\n`);
    }
    // ends the agents if orchestrate itself is killed, with or without the sandbox
    this.watchdog = startWatchdog({ graceMs: killGraceMs, env });
    // signals and the session's --timeout work in every state (a second signal forces)
    this.guard = new StopGuard({ stderr: report, timeoutMs, killGraceMs, probeTimeoutMs });
  }

  run(people: SessionPeople): Promise<SessionResult> {
    if (!this.guard || !this.watchdog) throw new Error('SessionLaunch.run before begin');
    const guard = this.guard;
    const { sandbox: _wanted, onConfirm, report: _report, ...options } = this.settings;
    const { ask } = people;
    const routing = confirmRouting(people, onConfirm);
    return runSession({
      ...options,
      ...(ask ? { ask: (question: string) => ask({ kind: 'escalation', question }) } : {}),
      ...(people.answerQuestion ? { answerQuestion: people.answerQuestion } : {}),
      confirm: {
        decide: createConfirmDecider({
          headless: !routing.asks,
          ...(onConfirm ? { onConfirm } : {}),
          ask: (q, signal) => (ask ? ask({ kind: 'confirm', question: q.question, detail: q.detail, signal }) : Promise.resolve('timeout')),
        }),
        fallback: routing.fallback,
      },
      orchestrateBin: ORCHESTRATE_BIN,
      watchdog: this.watchdog,
      sandbox: this.sandbox,
      clock: systemClock,
      signal: this.guard.signal,
      policies: sessionPolicies(options),
      onJournal: (journal, paths) => {
        // the backstop counts from the first launch, as the time budget does
        journal.subscribe(guard.onEntry);
        people.onJournal?.(journal, paths);
      },
    });
  }

  /** Ends the watchdog (a clean exit) and the stop guard's handlers; safe to call at any point. */
  close(): void {
    this.watchdog?.bye();
    this.guard?.close();
  }
}

/**
 * Who answers a confirm-class command. `asks`: a person is asked, at the terminal, or on the
 * page when neither `--on-confirm` nor the config says what to do; otherwise the policy answers
 * (default deny). `fallback`: what a CLI that cannot wait for an answer gets; allow only when
 * nobody is at the terminal and allow was asked for.
 */
export function confirmRouting(
  people: Pick<SessionPeople, 'terminal' | 'page'>,
  onConfirm: 'deny' | 'allow' | undefined,
): { asks: boolean; fallback: 'deny' | 'allow' } {
  return {
    asks: people.terminal || (people.page && onConfirm === undefined),
    fallback: !people.terminal && onConfirm === 'allow' ? 'allow' : 'deny',
  };
}

/** The event policies every session runs: the command guard and the path guard, each with the run's environment. */
export function sessionPolicies({ config, env }: Pick<SessionOptions, 'config' | 'env'>): EventPolicy[] {
  return [
    createCommandGuard(
      (run) => filterContextFor(run.cwd, config.sandbox.allowWrite, { ...env, ...config.agents[run.agent]?.env }),
      config.commands,
    ),
    createPathGuard((run) => {
      const agentEnv = { ...env, ...config.agents[run.agent]?.env } as Record<string, string>;
      const home = homeOf(agentEnv);
      return {
        allowedRoots: allowedWriteRoots({ agent: run.agent, target: run.cwd, allowWrite: config.sandbox.allowWrite, env: agentEnv, home }),
        home,
      };
    }),
  ];
}
