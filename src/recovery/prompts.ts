import type { AgentId } from '../agents/agent-id.js';

/** Bounds, so a carried history never crowds out the task (a prompt is one argv word, too). */
const MAX_MESSAGE_CHARS = 800;
const MAX_MESSAGES = 3;
const MAX_FILES = 40;
const MAX_CARRIED_CHARS = 6000;

function clip(text: string, max: number): string {
  const t = text.trim();
  return t.length <= max ? t : `${t.slice(0, max - 1)}…`;
}

/** The files a run changed, listed up to a bound. */
function fileLines(files: readonly string[]): string[] {
  if (files.length === 0) return ['Files changed so far: none.'];
  const shown = files.slice(0, MAX_FILES).map((f) => `- ${f}`);
  if (files.length > MAX_FILES) shown.push(`- … and ${files.length - MAX_FILES} more`);
  return ['Files changed so far (they are already in the working tree):', ...shown];
}

/** The agent's last words, newest last, bounded. */
function messageLines(messages: readonly string[]): string[] {
  const last = messages
    .slice(-MAX_MESSAGES)
    .map((m) => clip(m, MAX_MESSAGE_CHARS))
    .filter(Boolean);
  if (last.length === 0) return [];
  return ['Its last messages were:', ...last.map((m) => `> ${m.replace(/\n/g, '\n> ')}`)];
}

/** What a relaunch changed, for the resumed session. */
export interface ResumeChange {
  /** Why orchestrate relaunched, one sentence (`claude could not write /data/x`). */
  why: string;
  /** The flag changes (`+ --add-dir /data`); empty when only time passed (API error, rate limit). */
  flagDiff: readonly string[];
}

/** The prompt of a relaunch that resumes the CLI's own session: what changed, then carry on. */
export function resumePrompt(change: ResumeChange): string {
  const lines = [`orchestrate relaunched you because ${clip(change.why, 300)}.`];
  if (change.flagDiff.length > 0) lines.push('What changed in your launch:', ...change.flagDiff.map((d) => `  ${d}`));
  else lines.push('Your flags are unchanged.');
  lines.push(
    'Continue the same task where you left off: do not redo finished steps, retry the step that failed,',
    'and keep reporting with MILESTONE:/BLOCKER:/DONE: lines.',
  );
  return lines.join('\n');
}

/** The prompt of a session resumed after a crash or a stall. */
export function interruptedPrompt(): string {
  return [
    'Your previous run was interrupted (it stopped without finishing).',
    'Continue the same task where you left off: check what is already done in the working tree,',
    'do not redo finished steps, and keep reporting with MILESTONE:/BLOCKER:/DONE: lines.',
  ].join('\n');
}

/** What the earlier run left, carried into a new session's prompt. */
export interface CarriedWork {
  /** The agent that worked on it before (the same one when its session could not be resumed). */
  failedAgent: AgentId;
  /** Why that run could not go on. */
  reason: string;
  filesChanged: readonly string[];
  lastMessages: readonly string[];
}

/** The carried-work section, bounded to MAX_CARRIED_CHARS. */
function carried(work: CarriedWork, opening: string): string {
  const text = [
    opening,
    `It stopped because: ${clip(work.reason, 400)}`,
    ...fileLines(work.filesChanged),
    ...messageLines(work.lastMessages),
    'Build on that work instead of starting over; check it first, it may be incomplete.',
  ].join('\n');
  return clip(text, MAX_CARRIED_CHARS);
}

/** The original prompt for a different agent, with the work the failed one left. */
export function fallbackPrompt(originalPrompt: string, work: CarriedWork): string {
  return `${originalPrompt.trimEnd()}\n\n## Work so far\n${carried(work, `${work.failedAgent} worked on this assignment before you and could not finish it.`)}\n`;
}

/** The original prompt for a fresh session of the same agent (its old session cannot be resumed). */
export function freshSessionPrompt(originalPrompt: string, work: CarriedWork): string {
  return `${originalPrompt.trimEnd()}\n\n## Work so far\n${carried(work, 'You worked on this assignment in an earlier session that cannot be resumed.')}\n`;
}
