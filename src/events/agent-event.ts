/** What a tool call does, as far as the supervisor cares. */
export type ToolKind = 'shell' | 'file_write' | 'file_edit' | 'other';

/** A report line from the prompt protocol (`MILESTONE: …`, `BLOCKER: …`, …). */
export type ReportKind = 'milestone' | 'blocker' | 'review_request' | 'done';

/**
 * One normalised event parsed from an agent CLI's stream. Every CLI's wire format maps onto
 * these; the wire spelling (`session_id`, `thread_id`) stays inside the adapters.
 */
export type AgentEvent =
  /** The CLI's own session started; `sessionId` is what its resume flag takes. */
  | { type: 'agent.session'; sessionId: string; model?: string; cwd?: string }
  /** A complete assistant message (gemini's delta chunks already joined). */
  | { type: 'agent.message'; text: string }
  /** A `MILESTONE:`/`BLOCKER:`/`REVIEW_REQUEST:`/`DONE:` line found in an assistant message. */
  | { type: 'agent.report'; kind: ReportKind; text: string }
  /** The agent asked to run a tool. `command` for shell, `path` for file tools. */
  | {
      type: 'agent.tool_call';
      toolId?: string;
      tool: string;
      kind: ToolKind;
      command?: string;
      path?: string;
      /** Every path a multi-file change touches (codex `file_change`). */
      paths?: string[];
    }
  /** A tool finished. `exitCode` only where the CLI reports one. */
  | { type: 'agent.tool_result'; toolId?: string; ok: boolean; exitCode?: number; output?: string }
  /** The CLI itself refused a tool call (mode, working dir, policy, hook). */
  | { type: 'agent.permission_denied'; toolId?: string; tool?: string; message: string; reason?: string }
  /** The CLI is retrying a failed model API call. */
  | {
      type: 'agent.api_retry';
      attempt?: number;
      maxRetries?: number;
      status?: number;
      delayMs?: number;
      message?: string;
    }
  /** Token use (and cost where the CLI gives it) for a turn or the whole run. */
  | {
      type: 'agent.usage';
      inputTokens: number;
      outputTokens: number;
      cachedTokens?: number;
      costUsd?: number;
    }
  /** The CLI's final event. `ok` is false for error results whatever the exit code. */
  | {
      type: 'agent.result';
      ok: boolean;
      text?: string;
      error?: string;
      apiErrorStatus?: number;
      /** Tool calls the CLI denied during the run. */
      denials?: number;
      /** `--json-schema` / `--output-schema` output, parsed. */
      structured?: unknown;
      /** claude `queued_turn_count`: turns still queued, so more turns follow this result. */
      queuedTurns?: number;
    }
  /** An error the CLI reported in its stream; `fatal` when the run cannot go on. `kind`: the CLI's class (claude `authentication_failed`, …). */
  | { type: 'agent.error'; message: string; fatal: boolean; kind?: string }
  /**
   * The CLI's rate-limit state (claude `rate_limit_event`): `status` `allowed`, `allowed_warning` or
   * `rejected`; `resetsAt` when the window resets (ISO), which parking uses.
   */
  | { type: 'agent.rate_limit'; status: string; resetsAt?: string; limitType?: string }
  /** A well-formed JSON line of a kind the adapter does not know. Kept raw. */
  | { type: 'agent.unknown'; raw: string }
  /** A line that is not JSON. Kept raw; the stream goes on. */
  | { type: 'agent.parse_error'; raw: string; error: string };

/** The `type` of every normalised agent event. */
export type AgentEventType = AgentEvent['type'];

/** A parser for one run's stream. Stateful only to join multi-line constructs (gemini deltas). */
export interface StreamParser {
  /** Parses one line of stdout (without its newline) into zero or more events. */
  parseLine(line: string): AgentEvent[];
  /** Called once at end of stream: emits anything still buffered. */
  flush(): AgentEvent[];
}
