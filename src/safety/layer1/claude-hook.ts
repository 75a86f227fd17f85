import path from 'node:path';
import { ZodError } from 'zod';
import { classifyCommand } from '../command-filter/index.js';
import { CONFIRM_ENV, parseEndpoint } from '../confirm/endpoint.js';
import { requestConfirmation } from '../confirm/request-confirmation.js';
import { readHookContext } from './hook-context.js';

/** What the hook process does: claude reads exit 2 as "block" and shows stderr to the model. */
export interface HookOutcome {
  exitCode: 0 | 2;
  stderr: string;
}

const ALLOW: HookOutcome = { exitCode: 0, stderr: '' };
const block = (message: string): HookOutcome => ({ exitCode: 2, stderr: `${message}\n` });

/**
 * claude's PreToolUse hook for Bash: classify `tool_input.command` with the session's filter
 * context and rules. block → exit 2 with the rule's reason; allow → exit 0 (claude's own
 * permission mode still applies); confirm → ask the session's broker and run only on allow.
 * Fails closed: an unreadable context or input, a missing or unreachable broker, any error,
 * is a block that says why.
 */
export async function runClaudeHook(stdinText: string, contextFile: string, env: NodeJS.ProcessEnv): Promise<HookOutcome> {
  try {
    const ctx = readHookContext(contextFile);
    const input = JSON.parse(stdinText) as { tool_name?: unknown; tool_input?: { command?: unknown }; cwd?: unknown };
    // The settings match Bash only; another tool runs no shell command.
    if (input.tool_name !== 'Bash') return ALLOW;
    const command = input.tool_input?.command;
    if (typeof command !== 'string') return block('orchestrate hook: the Bash call has no command string (blocked, fail closed)');
    // claude's shell keeps its cwd between calls; the hook input says where this one runs.
    const cwd = typeof input.cwd === 'string' && path.isAbsolute(input.cwd) ? input.cwd : ctx.filterContext.cwd;
    const verdict = classifyCommand(command, { ...ctx.filterContext, cwd }, ctx.policy);
    if (verdict.decision === 'allow') return ALLOW;
    if (verdict.decision === 'block') return block(`blocked by orchestrate (${verdict.rule}): ${verdict.reason}`);
    const endpoint = parseEndpoint(env[CONFIRM_ENV]);
    if (!endpoint)
      return block(`needs a person's confirmation (${verdict.rule}: ${verdict.reason}), and this session has no one to ask: not run`);
    const answer = await requestConfirmation(
      endpoint,
      {
        agent: ctx.agent,
        ...(ctx.assignment ? { assignment: ctx.assignment } : {}),
        command,
        rule: verdict.rule,
        reason: verdict.reason,
        cwd,
      },
      ctx.confirmWaitMs,
    );
    if (answer.answer === 'allow') return ALLOW;
    const who =
      answer.by === 'person' ? 'the person said no' : answer.by === 'timeout' ? 'no answer in time' : 'the session policy says deny';
    return block(`not confirmed (${who}): ${verdict.rule}: ${verdict.reason}`);
  } catch (error) {
    const why =
      error instanceof ZodError
        ? `bad context file: ${error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`
        : (error as Error).message.split('\n')[0];
    return block(`orchestrate hook failed closed: ${why}`);
  }
}
