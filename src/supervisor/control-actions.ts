import type { ControlDecision, ControlRequest } from '../control/control-message.js';
import { ControlWatcher } from '../control/control-watcher.js';
import { EXIT } from '../errors.js';
import { flushAllCopies } from '../process/file-copy.js';
import { resumeTree, suspendTree } from '../process/suspend-tree.js';
import type { LiveRun, SessionRuntime } from './session-runtime.js';

/**
 * Watches the session's `control/` folder and carries out `orchestrate ctl` requests: pause and
 * resume every process of the agents' trees (a sandboxed agent is in its own session inside
 * bubblewrap, so its group alone would miss it), stop the session, ask for a review. Each request
 * and its result are journaled; the review trigger reads `control.request` from the journal.
 */
export async function watchControl(rt: SessionRuntime): Promise<ControlWatcher> {
  // However the session stops (a signal to orchestrate, an escalation, ctl stop), a paused process
  // cannot act on the SIGTERM it gets: continue the paused runs, or they would wait for the SIGKILL
  // after the whole kill grace and never end cleanly.
  const continuePaused = (): void => {
    for (const r of rt.live.values()) if (r.paused) resume(rt, r);
  };
  if (rt.stop.stopped) continuePaused();
  else rt.stop.signal.addEventListener('abort', continuePaused, { once: true });
  return ControlWatcher.start({
    controlDir: rt.paths.controlDir,
    handler: async (req) => {
      rt.journal.append({
        type: 'control.request',
        requestId: req.id,
        action: req.action,
        ...(req.agent ? { agent: req.agent } : {}),
        requesterPid: req.requesterPid,
      });
      return act(rt, req);
    },
    onResponse: (res) => {
      rt.journal.append({
        type: 'control.result',
        requestId: res.id,
        action: res.action,
        ...(res.agent ? { agent: res.agent } : {}),
        result: res.result,
        message: res.message,
      });
    },
    onError: (error) => rt.journal.append({ type: 'control.error', message: error.message }),
  });
}

async function act(rt: SessionRuntime, req: ControlRequest): Promise<ControlDecision> {
  const targets = [...rt.live.values()].filter((r) => req.agent === undefined || r.agent === req.agent);
  const names = (runs: LiveRun[]): string => [...new Set(runs.map((r) => r.agent))].join(', ');
  switch (req.action) {
    case 'pause': {
      // a run paused now would miss the SIGTERM of the stop under way and wait for the SIGKILL
      if (rt.stop.stopped) return { result: 'ignored', message: 'the session is stopping' };
      const toPause = targets.filter((r) => !r.paused);
      if (targets.length === 0) return { result: 'ignored', message: 'no running agent' + (req.agent ? ` named ${req.agent}` : '') };
      if (toPause.length === 0) return { result: 'ignored', message: `already paused: ${names(targets)}` };
      const problems: string[] = [];
      for (const r of toPause) {
        const result = await suspendTree(r.pid);
        markPaused(rt, r, true);
        rt.journal.append({ type: 'agent.paused', agent: r.agent, assignment: r.assignment, run: r.run, pids: result.signalled });
        if (result.notStopped.length) problems.push(`${r.agent}: ${result.notStopped.length} process(es) did not stop`);
      }
      // the output copies hold chunks for up to 250 ms: a paused agent's copy shows all it printed
      flushAllCopies();
      return { result: 'done', message: `paused ${names(toPause)}${problems.length ? ` (${problems.join('; ')})` : ''}` };
    }
    case 'resume': {
      const toResume = targets.filter((r) => r.paused);
      if (toResume.length === 0) return { result: 'ignored', message: 'nothing is paused' + (req.agent ? ` for ${req.agent}` : '') };
      for (const r of toResume) resume(rt, r);
      return { result: 'done', message: `resumed ${names(toResume)}` };
    }
    case 'stop': {
      if (rt.stop.stopped) return { result: 'ignored', message: 'already stopping' };
      rt.journal.append({ type: 'session.stopping', by: 'control', requestId: req.id });
      // the stop's abort listener (watchControl) continues the paused runs first
      rt.stop.stop(EXIT.INTERRUPTED, 'stopped by orchestrate ctl stop');
      return { result: 'done', message: `stopping: agents get SIGTERM, then SIGKILL after the grace; exit code ${EXIT.INTERRUPTED}` };
    }
    case 'answer': {
      // the question is a promise in this process (askAnywhere): the first answer wins, as on the page
      const answered =
        req.question !== undefined && req.answer !== undefined && rt.opts.answerQuestion?.(req.question, req.answer) === true;
      if (!answered) return { result: 'ignored', message: 'no such open question (answered elsewhere, withdrawn or timed out)' };
      return { result: 'done', message: `answered ${req.answer ?? ''}` };
    }
    case 'review': {
      const authors = targets.filter((r) => r.review === undefined);
      if (!rt.opts.review.enabled) return { result: 'ignored', message: 'reviews are off in this session' };
      if (authors.length === 0) return { result: 'ignored', message: 'no running assignment to review' };
      return { result: 'done', message: `review requested for ${names(authors)}` };
    }
  }
}

function resume(rt: SessionRuntime, r: LiveRun): void {
  const result = resumeTree(r.pid);
  markPaused(rt, r, false);
  rt.journal.append({ type: 'agent.resumed', agent: r.agent, assignment: r.assignment, run: r.run, pids: result.signalled });
}

/** Marks the live run and its `session.json` record (paused or not). */
function markPaused(rt: SessionRuntime, r: LiveRun, value: boolean): void {
  r.paused = value;
  for (const p of rt.state.processes) if (p.run === r.run) p.paused = value;
  rt.saveState();
}
