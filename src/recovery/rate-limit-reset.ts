import type { AgentEvent } from '../events/agent-event.js';
import { stripAnsi } from '../events/strip-ansi.js';

/** When a rate-limited agent may call its API again, as far as its output says. */
export interface RateLimitHint {
  /** Wait this long from the end of the run. */
  retryAfterMs?: number;
  /** Or until this instant (ISO 8601, as printed). */
  resetAt?: string;
  /** Or until this wall-clock time, as printed (`3:15 PM`): resolved against the session's clock when parking. */
  resetClock?: string;
  /** Which text gave it, for the journal. */
  source: string;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `ms`, `s`, `sec`, `seconds`, `m`, `min`, `minutes`, `h`, `hrs`, `hours` → its unit key. */
function unitKey(unit: string): string {
  const u = unit.toLowerCase();
  if (u === 'ms' || u.startsWith('milli')) return 'ms';
  return u[0] ?? 's';
}

/** A compound duration as gemini prints it (`2h52m39s`, `41.5s`, `500ms`) in ms; undefined when empty. */
function compoundMs(text: string): number | undefined {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) return undefined;
  return Math.round(parts.reduce((sum, p) => sum + Number(p[1]) * (UNIT_MS[p[2] as string] ?? 0), 0));
}

const COMPOUND = '((?:\\d+(?:\\.\\d+)?(?:ms|h|m|s))+)';

/**
 * Texts that carry a reset, most exact first. None of the recordings holds one (the scripted
 * server sent no Retry-After the CLIs passed on; gemini printed `retryDelayMs: undefined`), so
 * these are the forms the CLIs print when the API does send one: an ISO reset instant,
 * gemini's quota texts (`Your quota will reset after 2h52m39s.` from the Code Assist API,
 * `Suggested retry after 41s.` that gemini-cli 0.61's classifyGoogleError writes from a RetryInfo),
 * an echoed `retry-after` header (seconds), OpenAI's `try again in 1.5s` (codex), Google's
 * `Please retry in 41.2s` and gemini's `RetryableQuotaError`/`TerminalQuotaError … retryDelayMs: 41200`.
 */
const TEXT_HINTS: ReadonlyArray<{
  source: string;
  pattern: RegExp;
  read: (m: RegExpExecArray) => Omit<RateLimitHint, 'source'> | undefined;
}> = [
  {
    source: 'reset instant',
    pattern: /\breset(?:s|ting)?\s+(?:at|on)\s+(\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d))/i,
    read: (m) => (Number.isNaN(Date.parse(m[1] ?? '')) ? undefined : { resetAt: m[1] as string }),
  },
  {
    // codex's usage limit: `You’ve hit your usage limit. … or try again at 3:15 PM.` (codex 0.169's binary)
    source: 'try again at',
    pattern: /\btry again at ((?:[A-Za-z]{3}[a-z]*\.? \d{1,2}(?:st|nd|rd|th)?,? (?:\d{4},? )?)?\d{1,2}:\d{2} ?[AaPp]\.?[Mm])\b/,
    read: (m) => ({ resetClock: m[1] as string }),
  },
  {
    // gemini (Code Assist quota, TerminalQuotaError): `Your quota will reset after 2h52m39s.`
    source: 'reset after',
    pattern: new RegExp(`\\bquota will reset after ${COMPOUND}`),
    read: (m) => {
      const ms = compoundMs(m[1] ?? '');
      return ms === undefined ? undefined : { retryAfterMs: ms };
    },
  },
  {
    // gemini-cli's own words from the API's RetryInfo: `Suggested retry after 41s.`
    source: 'suggested retry after',
    pattern: new RegExp(`\\bSuggested retry after ${COMPOUND}`),
    read: (m) => {
      const ms = compoundMs(m[1] ?? '');
      return ms === undefined ? undefined : { retryAfterMs: ms };
    },
  },
  {
    source: 'retry-after',
    pattern: /\bretry-after["']?\s*[:=]\s*["']?(\d+(?:\.\d+)?)/i,
    read: (m) => ({ retryAfterMs: Math.round(Number(m[1]) * 1000) }),
  },
  {
    source: 'retryDelayMs',
    pattern: /\bretryDelayMs:\s*(\d+)/,
    read: (m) => ({ retryAfterMs: Number(m[1]) }),
  },
  {
    source: 'try again in',
    pattern: /\b(?:try again|retry) in (\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?)\b/i,
    read: (m) => ({ retryAfterMs: Math.round(Number(m[1]) * (UNIT_MS[unitKey(m[2] ?? 's')] ?? 1000)) }),
  },
];

/** The texts of the events that can carry an API error message. */
function eventTexts(events: readonly AgentEvent[]): string[] {
  const texts: string[] = [];
  for (const e of events) {
    if (e.type === 'agent.result') texts.push(e.error ?? '', e.text ?? '');
    else if (e.type === 'agent.error' || e.type === 'agent.api_retry') texts.push(e.message ?? '');
  }
  return texts.filter(Boolean);
}

/**
 * Finds when a rate limit resets, from a run's events and stderr. A stated reset wins; else the
 * CLI's own last backoff before it gave up (claude `system/api_retry.retry_delay_ms` of a 429),
 * which is a floor: retrying sooner than the CLI itself would have is pointless.
 */
export function findRateLimitReset(run: { events: readonly AgentEvent[]; stderr: string }): RateLimitHint | undefined {
  // claude's structured reset time (rate_limit_event) is the most exact statement there is
  const limited = run.events.filter((e) => e.type === 'agent.rate_limit' && e.status !== 'allowed' && e.resetsAt !== undefined).at(-1);
  if (limited?.type === 'agent.rate_limit' && limited.resetsAt !== undefined)
    return { resetAt: limited.resetsAt, source: 'rate_limit_event.resetsAt' };
  const text = [...eventTexts(run.events), stripAnsi(run.stderr)].join('\n');
  for (const hint of TEXT_HINTS) {
    const m = hint.pattern.exec(text);
    const read = m ? hint.read(m) : undefined;
    if (read) return { ...read, source: hint.source };
  }
  const lastRetry = run.events.filter((e) => e.type === 'agent.api_retry' && e.status === 429 && e.delayMs !== undefined).at(-1);
  if (lastRetry?.type === 'agent.api_retry' && lastRetry.delayMs !== undefined) {
    return { retryAfterMs: lastRetry.delayMs, source: 'api_retry.retry_delay_ms' };
  }
  return undefined;
}
