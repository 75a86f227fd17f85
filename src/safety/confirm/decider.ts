import type { ConfirmAnswer, ConfirmDecider, ConfirmRequest } from './types.js';

/** Asks a person one yes/no question (src/interact/ask-person.ts bound to the terminal). */
export type AskFn = (question: { question: string; detail: string }, signal: AbortSignal) => Promise<'yes' | 'no' | 'timeout'>;

export interface ConfirmDeciderOptions {
  /** No person can be asked (no TTY, `--headless`, `--json`, CI). */
  headless: boolean;
  /** `--on-confirm` / config `onConfirm`: the answer when headless; default deny. */
  onConfirm?: 'deny' | 'allow';
  /** How to ask the person when not headless. */
  ask: AskFn;
}

/**
 * The session's decide function: headless, the configured answer (`by: policy`); otherwise the
 * person at the terminal, default no (`by: person`, or `timeout` when nobody answered).
 */
export function createConfirmDecider(options: ConfirmDeciderOptions): ConfirmDecider {
  return async (request: ConfirmRequest, signal: AbortSignal): Promise<ConfirmAnswer> => {
    if (options.headless) return { answer: options.onConfirm ?? 'deny', by: 'policy' };
    const reply = await options.ask(describe(request), signal);
    if (reply === 'timeout') return { answer: 'deny', by: 'timeout' };
    return { answer: reply === 'yes' ? 'allow' : 'deny', by: 'person' };
  };
}

function describe(request: ConfirmRequest): { question: string; detail: string } {
  const who = request.assignment ? `${request.agent} (${request.assignment})` : request.agent;
  return {
    question: `allow this command for ${request.agent}?`,
    detail: `${who} wants to run, in ${request.cwd}:\n  ${request.command}\n${request.rule}: ${request.reason}`,
  };
}
