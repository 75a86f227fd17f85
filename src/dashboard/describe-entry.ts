import { isReportLine } from '../events/report-lines.js';
import type { JournalEntry } from '../session/journal-entry.js';

const MAX = 160;

/** A task of any size as one line: its first line, cut, with how much is left out. */
function taskHead(task: string): string {
  const first = task.split('\n')[0] ?? '';
  const head = first.length > MAX ? first.slice(0, MAX) : first;
  const rest = task.length - head.length;
  return rest > 0 ? `${head} … (${rest} more characters)` : head;
}

/** One readable line for a journal entry (without time or agent), or undefined for noise. */
export function describeEntry(e: JournalEntry): string | undefined {
  const s = (k: string): string => (typeof e[k] === 'string' ? (e[k] as string) : String(e[k] ?? ''));
  switch (e.type) {
    case 'session.started':
      return `session ${s('sessionId')} started: ${taskHead(s('task'))}`;
    case 'safety.sandbox':
      return `sandbox: ${s('reason')}`;
    case 'safety.sandbox_self_test':
      return e['ok'] ? undefined : `sandbox self-test FAILED: ${JSON.stringify(e['failures']).slice(0, MAX)}`;
    case 'safety.sandbox_after_run':
      return `after the run: ${(e['notes'] as string[]).join('; ')}`;
    case 'safety.sandbox_off':
      return `WARNING: agents run without the bubblewrap sandbox (${s('reason')})`;
    case 'agent.probe':
      return e['available'] ? `available (${s('version') || 'version unknown'})` : `unavailable: ${s('reason')}`;
    case 'plan.created':
      return `plan: tier ${s('tier')}, ${(e['assignments'] as unknown[]).length} assignments (${s('tierReason')})`;
    case 'assignment.started':
      return `started ${s('assignment')} (${Math.round(Number(e['weight']) * 100)}% of the budget)`;
    case 'agent.launched':
      return `launched pid ${s('pid')}`;
    case 'agent.session':
      return `cli session ${s('sessionId')}`;
    case 'agent.message': {
      // Report lines get their own agent.report entry; show only what else was said.
      const rest = s('text')
        .split(/\r?\n/)
        .filter((l) => !isReportLine(l))
        .join(' ')
        .trim();
      return rest ? `says: ${clip(rest)}` : undefined;
    }
    case 'agent.report':
      return `${s('kind').toUpperCase()}: ${clip(s('text'))}`;
    case 'agent.tool_call':
      return `${s('kind') === 'shell' ? 'runs' : s('kind') === 'other' ? `uses ${s('tool')}` : 'writes'}: ${clip(s('command') || s('path') || s('tool'))}`;
    case 'agent.tool_result':
      return e['ok'] ? undefined : `tool failed${e['exitCode'] !== undefined ? ` (exit ${s('exitCode')})` : ''}`;
    case 'agent.permission_denied':
      return `denied: ${clip(s('message'))}`;
    case 'agent.api_retry':
      return `API retry ${s('attempt')}${e['status'] ? ` after HTTP ${s('status')}` : ''}`;
    case 'agent.result':
      return e['ok'] ? `result: ok` : `result: ERROR ${clip(s('error'))}`;
    case 'agent.error':
      return `error: ${clip(s('message'))}`;
    case 'agent.unknown':
      return `unknown event: ${clip(s('raw'))}`;
    case 'agent.parse_error':
      return `unparsable line: ${clip(s('raw'))}`;
    case 'agent.stopping':
      return `stopping (${s('by')}): ${s('reason')}`;
    case 'agent.start_failed':
      return `could not start: ${s('reason')}`;
    case 'agent.exited':
      return `exited ${e['signal'] ? `by ${s('signal')}` : `with code ${s('code')}`}: ${s('status')} (${s('reason')})`;
    case 'assignment.finished':
      return `${s('assignment')} ${s('status')}`;
    case 'assignment.skipped':
      return `${s('assignment')} skipped: ${s('reason')}`;
    case 'session.error':
      return `error: ${s('message')}`;
    case 'session.completed':
      return `session ${s('outcome')} (exit ${s('exitCode')}); details in ${s('dir')}`;
    case 'agent.usage':
      return undefined;
    case 'safety.command':
      return e['decision'] === 'allow' ? undefined : `${s('decision').toUpperCase()} ${clip(s('command'))} (${s('rule')})`;
    case 'safety.violation':
      return e['kind'] === 'path'
        ? `VIOLATION write outside the allowed roots: ${clip(s('resolved') || s('path'))} (${s('tool')})`
        : `VIOLATION ${clip(s('command'))}: ${s('reason')} (${s('action')})`;
    case 'safety.confirm_requested':
      return `CONFIRM? ${clip(s('command'))} (${s('rule')})`;
    case 'safety.confirm_answered':
      return `confirm ${s('answer')} by ${s('by')}: ${clip(s('command'))}`;
    case 'safety.limit_warning':
    case 'safety.limit_exceeded':
      return `${e.type === 'safety.limit_warning' ? 'over' : 'STOPPED over'} the ${s('limit')} limit: ${s('value')} > ${s('max')}`;
    case 'safety.hook_error':
      return `hook refused a malformed call: ${s('reason')}`;
    case 'session.spawn_service': // quiet when on; the reason when git went back to Node's spawn
      return typeof e['reason'] === 'string' ? `spawn service off: ${s('reason')}` : undefined;
    case 'safety.layer1':
    case 'safety.hooks_ready':
    case 'recovery.prepared':
      return undefined;
    case 'review.requested': {
      const t = e['trigger'] as { kind?: string } | undefined;
      return `review ${s('review')} of ${s('assignment')} requested (${t?.kind ?? '?'})`;
    }
    case 'review.reviewer':
      return `review ${s('review')}: trying ${s('reviewer')} (${s('tier')}${e['degraded'] ? ', degraded' : ''})`;
    case 'review.failed':
      return `review ${s('review')}: ${s('reviewer')} gave no valid verdict: ${clip(s('reason'))}`;
    case 'review.verdict': {
      const v = e['verdict'] as { verdict?: string; issues?: unknown[] } | undefined;
      return `review ${s('review')}: ${s('reviewer')} says ${v?.verdict ?? '?'} (${v?.issues?.length ?? 0} issue(s))${e['degraded'] ? ' DEGRADED' : ''}`;
    }
    case 'review.decision':
      return `review ${s('review')}: ${s('decision')} (rule ${s('rule')})`;
    case 'recovery.relaunch':
      return `recovery: relaunch for ${s('cause')} (attempt ${s('attempt')}) ${((e['flagDiff'] as string[] | undefined) ?? []).join(' ')}`;
    case 'recovery.parked':
      return `recovery: parked until ${s('until')} (${s('cause')})`;
    case 'recovery.unparked':
      return `recovery: going on after the rate limit reset at ${s('until')} (waited ${Math.round(Number(e['waitedMs']) / 1000)} s)`;
    case 'budget.reached':
      return `CEILING REACHED: ${s('reason')}; no more work starts (resume with a higher --max-cost / --max-tokens)`;
    case 'budget.launch': {
      const share = e['share'] as { costUsd?: number; tokens?: number } | undefined;
      const parts = [
        share?.costUsd !== undefined ? `$${share.costUsd}` : '',
        share?.tokens !== undefined ? `${share.tokens} tokens` : '',
      ].filter(Boolean);
      return `window ${Math.round(Number(e['windowMs']) / 1000)} s${parts.length ? `, share ${parts.join(' and ')}` : ''}`;
    }
    case 'recovery.fallback':
      return `recovery: ${s('assignment')} handed from ${s('from')} to ${s('to')} (${s('cause')})`;
    case 'recovery.escalated':
      return `recovery: a person must decide: ${clip(s('detail'))}`;
    case 'session.blocker':
      return `BLOCKER ${clip(s('blocker'))}${e['rerun'] ? ` (then re-run: ${s('rerun')})` : ''}`;
    case 'agent.paused':
      return `paused (${Array.isArray(e['pids']) ? e['pids'].length : '?'} process(es) stopped)`;
    case 'agent.resumed':
      return `resumed (${Array.isArray(e['pids']) ? e['pids'].length : '?'} process(es) continued)`;
    case 'dashboard.answered':
      return `answered on the dashboard: ${s('answer')} to "${clip(s('question'))}"`;
    case 'control.result':
      return `ctl ${s('action')}: ${s('result')} (${s('message')})`;
    case 'session.resumed':
      return `session resumed (was ${s('previousState')})`;
    case 'recovery.diagnosis':
      return `known failure ${s('id')}: ${s('cause')} (fix: ${s('fix')})`;
    default:
      return `${e.type}${typeof e['reason'] === 'string' ? `: ${s('reason')}` : ''}`;
  }
}

/** Runs of whitespace and single whitespace other than a space: what `/\s+/g` → ' ' changes (a lone space stays, unbuilt). */
const LOOSE_SPACE = /\s{2,}|[^\S ]/g;

function clip(text: string): string {
  const one = text.replace(LOOSE_SPACE, ' ').trim();
  return one.length > MAX ? `${one.slice(0, MAX - 1)}…` : one;
}
