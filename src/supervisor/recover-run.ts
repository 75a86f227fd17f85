import { mkdirSync } from 'node:fs';
import type { AgentId } from '../agents/agent-id.js';
import { buildPrompt } from '../plan/prompts.js';
import { planRecovery } from '../recovery/plan-recovery.js';
import { fallbackPrompt } from '../recovery/prompts.js';
import { DEFAULT_BACKOFF_MS, type RecoveryPlan } from '../recovery/recovery-plan.js';
import type { AssignmentState } from './assignment-state.js';
import { isGitWorkTree, runningAsRoot } from './launch-context.js';
import type { SessionRuntime } from './session-runtime.js';
import type { RunRecord, RunRequest } from './start-run.js';

/** What a launch of the assignment's agent may vary between attempts. */
export type LaunchChange = Pick<
  RunRequest,
  'prompt' | 'resumeSessionId' | 'addDirs' | 'dropArgs' | 'skipGitRepoCheck' | 'trustTarget' | 'extraWritable'
>;

/** Statuses recovery never touches: the session or a person ended the run on purpose. */
const FINAL = new Set(['interrupted', 'stopped_by_safety', 'escalated', 'ceiling_reached']);

/**
 * Launches the assignment's agent and, while the run fails with something the recovery plan can
 * fix, applies the plan: relaunch with corrected flags resuming the CLI's session (bounded per
 * cause, with backoff), park on a rate limit, hand the work to the next agent, or escalate to a
 * person (terminal) / the summary (headless). Every plan is journaled as `recovery.<kind>`.
 */
export async function recover(
  rt: SessionRuntime,
  s: AssignmentState,
  first: { prompt: string; resumeSessionId?: string },
  launch: (change: LaunchChange) => Promise<RunRecord>,
): Promise<RunRecord> {
  const attempts: Record<string, number> = {};
  const failedAgents = new Set<AgentId>();
  let parks = 0;
  let change: LaunchChange = { ...first };
  let record = await launch(change);
  const maxAttempts = rt.opts.config.recovery.maxAttempts;
  const backoffMs = rt.opts.recoveryBackoffMs ?? DEFAULT_BACKOFF_MS;
  for (;;) {
    // a ceiling reached: no relaunch, no fallback spends more (resume with a higher one goes on)
    if (FINAL.has(s.status) || rt.stop.stopped || rt.budget?.reached()) return record;
    const result = record.result;
    const cfg = rt.opts.config.agents[s.agent];
    const work = rt.copies.forAssignment(s.assignment.id).dir;
    const plan = planRecovery({
      agent: s.agent,
      run: {
        status: result.status,
        reason: result.reason,
        diagnoses: result.diagnoses,
        ...(result.cliSessionId ? { cliSessionId: result.cliSessionId } : {}),
        exit: result.exit,
        lastMessages: result.lastMessages,
      },
      attempts,
      maxAttempts,
      backoffMs,
      allowedRoots: [work, ...rt.opts.config.sandbox.allowWrite, ...(change.extraWritable ?? [])],
      currentAddDirs: change.addDirs ?? [],
      now: rt.opts.clock.now(),
      availableFallbacks: rt.available.filter((a) => a !== s.agent && !failedAgents.has(a)),
      launch: {
        cwd: work,
        context: {
          isRoot: runningAsRoot(),
          sandboxed: rt.opts.sandbox.active,
          targetIsGitRepo: change.skipGitRepoCheck ? false : isGitWorkTree(work),
          trustTarget: change.trustTarget ?? rt.opts.trustTarget,
        },
        extraArgs: (cfg?.args ?? []).filter((a) => !change.dropArgs?.includes(a)),
        ...(cfg?.model ? { model: cfg.model } : {}),
      },
      work: { originalPrompt: first.prompt, filesChanged: [...s.changes.added, ...s.changes.modified, ...s.changes.deleted] },
      // the config file the session really read, so the blocker names the file to edit
      invocation: { ...(rt.opts.invocation ?? { argv: [] }), ...(rt.opts.configFile ? { configPath: rt.opts.configFile } : {}) },
      parks,
      // this supervisor's deadline (a resumed session's own --timeout), where the budget knows it
      deadlineMs: rt.budget?.deadlineMs ?? Date.parse(rt.state.startedAt) + rt.opts.timeoutMs,
    });
    // A run that succeeded is acted on only for a refused write (docs/recovery.md); otherwise it
    // simply stands, and "gave up" on a success would be nonsense in the journal.
    if (result.status === 'succeeded' && plan.kind === 'give_up') return record;
    journalPlan(rt, s, plan);
    switch (plan.kind) {
      case 'give_up':
        return record;
      case 'relaunch': {
        attempts[plan.cause] = (attempts[plan.cause] ?? 0) + 1;
        for (const dir of plan.change.ensureDirs ?? []) mkdirSync(dir, { recursive: true });
        if (!(await wait(rt, plan.delayMs))) return record;
        change = {
          ...change,
          prompt: plan.prompt,
          ...(plan.change.addDirs ? { addDirs: plan.change.addDirs } : {}),
          ...(plan.change.dropArgs ? { dropArgs: [...(change.dropArgs ?? []), ...plan.change.dropArgs] } : {}),
          ...(plan.change.skipGitRepoCheck ? { skipGitRepoCheck: true } : {}),
        };
        if (plan.resumeSessionId && !plan.change.freshSession) change.resumeSessionId = plan.resumeSessionId;
        else delete change.resumeSessionId;
        record = await launch(change);
        break;
      }
      case 'park': {
        parks += 1;
        const parkedAt = rt.opts.clock.now();
        if (!(await wait(rt, Math.max(0, plan.untilMs - parkedAt)))) return record;
        // the person is told the agent goes on (the live views and the headless lines show it)
        rt.journal.append({
          type: 'recovery.unparked',
          agent: s.agent,
          assignment: s.assignment.id,
          cause: plan.cause,
          until: new Date(plan.untilMs).toISOString(),
          waitedMs: rt.opts.clock.now() - parkedAt,
        });
        change = { ...change, prompt: plan.prompt };
        if (plan.resumeSessionId) change.resumeSessionId = plan.resumeSessionId;
        record = await launch(change);
        break;
      }
      case 'fallback': {
        failedAgents.add(s.agent);
        // attempts and parks are the failed agent's: the next agent starts with its own budget
        // (else its first crash or API error would be "exhausted" without a single relaunch)
        for (const cause of Object.keys(attempts)) delete attempts[cause];
        parks = 0;
        const from = s.agent;
        s.agent = plan.to;
        s.fallbackFrom = [...(s.fallbackFrom ?? []), from];
        delete s.cliSessionId;
        const prompt = fallbackPrompt(buildPrompt(rt.plan, { ...s.assignment, agent: plan.to }), {
          failedAgent: from,
          reason: plan.reason,
          filesChanged: [...s.changes.added, ...s.changes.modified, ...s.changes.deleted],
          lastMessages: result.lastMessages,
        });
        change = { prompt };
        record = await launch(change);
        break;
      }
      case 'escalate': {
        const answer = rt.opts.ask ? await rt.opts.ask(plan.question.replace(/\s*\[y\/N\]\s*$/, '')) : undefined;
        if (answer !== undefined)
          rt.journal.append({
            type: 'recovery.answered',
            agent: s.agent,
            assignment: s.assignment.id,
            cause: plan.cause,
            answer,
            by: 'person',
          });
        if (answer === 'yes' && plan.offer) {
          change =
            'addDir' in plan.offer
              ? {
                  ...change,
                  addDirs: [...(change.addDirs ?? []), plan.offer.addDir],
                  extraWritable: [...(change.extraWritable ?? []), plan.offer.addDir],
                }
              : { ...change, trustTarget: true };
          if (result.cliSessionId) change.resumeSessionId = result.cliSessionId;
          record = await launch(change);
          break;
        }
        rt.journal.append({
          type: 'session.blocker',
          agent: s.agent,
          assignment: s.assignment.id,
          cause: plan.cause,
          blocker: plan.blocker,
          rerun: plan.rerun,
        });
        s.status = 'escalated';
        s.reason = `${plan.blocker} (re-run: ${plan.rerun})`;
        return record;
      }
    }
  }
}

/** Journals a recovery plan as `recovery.<kind>`, with what a person needs to follow it. */
function journalPlan(rt: SessionRuntime, s: AssignmentState, plan: RecoveryPlan): void {
  const tag = { agent: s.agent, assignment: s.assignment.id };
  switch (plan.kind) {
    case 'relaunch':
      rt.journal.append({
        type: 'recovery.relaunch',
        ...tag,
        cause: plan.cause,
        attempt: plan.attempt,
        flagDiff: plan.flagDiff,
        resumeSessionId: plan.resumeSessionId ?? null,
        delayMs: plan.delayMs,
        detail: plan.reason,
      });
      break;
    case 'park':
      rt.journal.append({
        type: 'recovery.parked',
        ...tag,
        cause: plan.cause,
        until: new Date(plan.untilMs).toISOString(),
        handOff: plan.handOff,
        detail: plan.reason,
      });
      break;
    case 'fallback':
      rt.journal.append({ type: 'recovery.fallback', ...tag, cause: plan.cause, from: s.agent, to: plan.to, detail: plan.reason });
      break;
    case 'escalate':
      rt.journal.append({
        type: 'recovery.escalated',
        ...tag,
        cause: plan.cause,
        question: plan.question,
        offer: plan.offer ?? null,
        detail: plan.blocker,
        rerun: plan.rerun,
      });
      break;
    case 'give_up':
      rt.journal.append({ type: 'recovery.gave_up', ...tag, cause: plan.cause ?? null, detail: plan.reason });
      break;
  }
}

/** Waits on the session's clock; false when the session stopped meanwhile. */
function wait(rt: SessionRuntime, ms: number): Promise<boolean> {
  if (rt.stop.stopped) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onStop = (): void => {
      cancel();
      resolve(false);
    };
    const cancel = rt.opts.clock.setTimeout(() => {
      rt.stop.signal.removeEventListener('abort', onStop);
      resolve(true);
    }, ms);
    rt.stop.signal.addEventListener('abort', onStop, { once: true });
  });
}
