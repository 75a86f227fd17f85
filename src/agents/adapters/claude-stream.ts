import { z } from 'zod';
import type { AgentEvent, StreamParser, ToolKind } from '../../events/agent-event.js';
import {
  isRecord,
  mapWith,
  messageEvents,
  nullableNumber,
  nullableString,
  optionalBoolean,
  optionalString,
  readTypedLine,
  stringField,
  unknownEvent,
  usageEvent,
  type ParserOptions,
} from './stream-helpers.js';

// Wire shapes of `claude -p --output-format stream-json --verbose` (2.1.330), from the recorded
// streams in fixtures/streams/claude-*.jsonl and REFERENCE.md §5. Only the fields we read;
// zod drops the rest, so new fields never break parsing.

/** `system/init`: the first line of every run that reached the model. */
const InitSchema = z.object({
  /** What `--resume` takes. */
  session_id: z.string(),
  model: z.string().optional(),
  cwd: z.string().optional(),
});

/** `system/api_retry`: the CLI is backing off after a failed model call. */
const ApiRetrySchema = z.object({
  attempt: nullableNumber,
  max_retries: nullableNumber,
  retry_delay_ms: nullableNumber,
  /** HTTP status of the failed call (500, 429). */
  error_status: nullableNumber,
  /** `server_error`, `rate_limit`, … */
  error: nullableString,
});

/** `system/permission_denied`: emitted before the denied call's error tool_result. */
const PermissionDeniedSchema = z.object({
  tool_name: z.string().optional(),
  tool_use_id: z.string().optional(),
  message: z.string(),
  /** e.g. "Path is outside allowed working directories"; absent for some modes. */
  decision_reason: z.string().optional(),
  /** `workingDir` | `mode` | `subcommandResults` | `classifier`. */
  decision_reason_type: z.string().optional(),
});

/** One block of `message.content[]` in `assistant` and `user` lines. */
const ContentBlockSchema = z.object({
  type: z.string(),
  /** `text` blocks. */
  text: z.string().optional(),
  /** `tool_use` blocks. */
  id: z.string().optional(),
  name: z.string().optional(),
  /** Tool arguments; only a few string fields are read, so any shape is accepted. */
  input: z.unknown().optional(),
  /** `tool_result` blocks. */
  tool_use_id: z.string().optional(),
  content: z.unknown().optional(),
  is_error: z.boolean().optional(),
});
type ContentBlock = z.infer<typeof ContentBlockSchema>;

/** `assistant` and `user` lines. A user prompt echo may carry a plain string as content. */
const MessageLineSchema = z.object({
  message: z.object({
    content: z.union([z.string(), z.array(ContentBlockSchema)]),
  }),
  /** Synthetic assistant message carrying an API failure (`model:"<synthetic>"`). */
  is_api_error_message: z.boolean().optional(),
  /**
   * The API failure's class on that message (SDK `SDKAssistantMessageError`): `authentication_failed`,
   * `billing_error`, `rate_limit`, `invalid_request`, `server_error`, `max_output_tokens`, `unknown`.
   */
  error: z.string().optional(),
});

type MessageLine = z.infer<typeof MessageLineSchema>;
type Init = z.infer<typeof InitSchema>;
type ApiRetry = z.infer<typeof ApiRetrySchema>;
type PermissionDenied = z.infer<typeof PermissionDeniedSchema>;

/** What InitSchema accepts, by hand; undefined: let the schema decide. */
function checkInit(value: unknown): Init | undefined {
  return isRecord(value) && typeof value['session_id'] === 'string' && optionalString(value['model']) && optionalString(value['cwd'])
    ? (value as Init)
    : undefined;
}

/** What ApiRetrySchema accepts with no field null (zod turns null into undefined: those lines go through it). */
function checkApiRetry(value: unknown): ApiRetry | undefined {
  if (!isRecord(value)) return undefined;
  for (const key of ['attempt', 'max_retries', 'retry_delay_ms', 'error_status'])
    if (value[key] !== undefined && typeof value[key] !== 'number') return undefined;
  return optionalString(value['error']) ? (value as ApiRetry) : undefined;
}

/** What PermissionDeniedSchema accepts, by hand. */
function checkPermissionDenied(value: unknown): PermissionDenied | undefined {
  if (!isRecord(value) || typeof value['message'] !== 'string') return undefined;
  for (const key of ['tool_name', 'tool_use_id', 'decision_reason', 'decision_reason_type'])
    if (!optionalString(value[key])) return undefined;
  return value as PermissionDenied;
}

/** What MessageLineSchema accepts, by hand (assistant and user lines are most of a stream); undefined: let the schema decide. */
function checkMessageLine(value: unknown): MessageLine | undefined {
  if (!isRecord(value) || !isRecord(value['message'])) return undefined;
  const content = value['message']['content'];
  if (typeof content !== 'string') {
    if (!Array.isArray(content)) return undefined;
    for (const block of content as unknown[]) if (!isContentBlock(block)) return undefined;
  }
  return optionalBoolean(value['is_api_error_message']) && optionalString(value['error']) ? (value as MessageLine) : undefined;
}

/** What ContentBlockSchema accepts (`input` and `content` may be anything). */
function isContentBlock(block: unknown): boolean {
  return (
    isRecord(block) &&
    typeof block['type'] === 'string' &&
    optionalString(block['text']) &&
    optionalString(block['id']) &&
    optionalString(block['name']) &&
    optionalString(block['tool_use_id']) &&
    optionalBoolean(block['is_error'])
  );
}

/**
 * `rate_limit_event` (claude ≥ 2.1.33x, SDK `SDKRateLimitEvent`): `{"type":"rate_limit_event",
 * "rate_limit_info":{"status":"allowed"|"allowed_warning"|"rejected","resetsAt":<unix s>,
 * "rateLimitType":"five_hour",…},"uuid","session_id"}`.
 */
const RateLimitEventSchema = z.object({
  rate_limit_info: z.object({
    status: z.string(),
    resetsAt: nullableNumber,
    rateLimitType: nullableString,
  }),
});

/** `result`: the last line of a run (also of a failed `--resume`). */
const ResultSchema = z.object({
  subtype: z.string().optional(),
  /** The only reliable failure flag: API errors still say `subtype:"success"`. */
  is_error: z.boolean(),
  /** Final assistant text (the JSON string with `--json-schema`). */
  result: z.string().optional(),
  api_error_status: nullableNumber,
  total_cost_usd: nullableNumber,
  usage: z
    .object({
      input_tokens: z.number().default(0),
      output_tokens: z.number().default(0),
      cache_read_input_tokens: nullableNumber,
    })
    .optional(),
  permission_denials: z.array(z.unknown()).optional(),
  structured_output: z.unknown().optional(),
  /** e.g. `No conversation found with session ID: …` for a bad `--resume` id. */
  errors: z.array(z.string()).optional(),
  /** Turns still queued behind this result (claude ≥ 2.1.33x): more turns follow. */
  queued_turn_count: nullableNumber,
});

/** Claude's built-in tool names mapped to what the supervisor cares about. */
function classifyClaudeTool(name: string): ToolKind {
  switch (name) {
    case 'Bash':
      return 'shell';
    case 'Write':
      return 'file_write';
    case 'Edit':
    case 'MultiEdit':
    case 'NotebookEdit':
      return 'file_edit';
    default:
      // StructuredOutput, Read, Task, WebFetch, MCP tools, …
      return 'other';
  }
}

function toolCallEvent(block: ContentBlock): AgentEvent {
  const tool = block.name ?? 'unknown';
  const kind = classifyClaudeTool(tool);
  const event: Extract<AgentEvent, { type: 'agent.tool_call' }> = {
    type: 'agent.tool_call',
    tool,
    kind,
  };
  if (block.id !== undefined) event.toolId = block.id;
  if (kind === 'shell') {
    const command = stringField(block.input, 'command');
    if (command !== undefined) event.command = command;
  } else if (kind === 'file_write' || kind === 'file_edit') {
    const path = stringField(block.input, 'file_path') ?? stringField(block.input, 'notebook_path');
    if (path !== undefined) event.path = path;
  }
  return event;
}

/** tool_result content is a string or a list of `{type:"text",text}` (and image) blocks. */
function toolResultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: unknown) =>
      typeof part === 'object' && part !== null && typeof (part as { text?: unknown }).text === 'string'
        ? (part as { text: string }).text
        : '',
    )
    .join('');
}

const EXIT_CODE = /^Exit code (\d+)/;
/** A PreToolUse hook that exited 2: `PreToolUse:Bash hook error: [/…/hook.sh]: <stderr>`. */
const HOOK_DENIAL = /^PreToolUse:(\S+) hook error/;

/** A fresh parser for one claude run. Stateful only to name the tool a hook denied. */
export function createClaudeParser(options: ParserOptions = {}): StreamParser {
  const toolNames = new Map<string, string>();
  const hand = options.handChecks !== false;
  const messageCheck = hand ? checkMessageLine : undefined;

  function parseAssistant(line: MessageLine): AgentEvent[] {
    const content = line.message.content;
    const blocks = typeof content === 'string' ? [{ type: 'text', text: content }] : content;
    if (line.is_api_error_message === true) {
      // The CLI turns an API failure into a fake assistant message; the result that follows
      // is the final word, so this is a non-fatal error, not something the agent said.
      const text = blocks.map((block) => block.text ?? '').join('');
      return [{ type: 'agent.error', message: text, fatal: false, ...(line.error !== undefined ? { kind: line.error } : {}) }];
    }
    const events: AgentEvent[] = [];
    for (const block of blocks) {
      if (block.type === 'text' && block.text !== undefined && block.text !== '') {
        events.push(...messageEvents(block.text));
      } else if (block.type === 'tool_use') {
        if (block.id !== undefined && block.name !== undefined) toolNames.set(block.id, block.name);
        events.push(toolCallEvent(block));
      }
      // thinking / redacted_thinking blocks: nothing the supervisor acts on
    }
    return events;
  }

  function parseUser(line: MessageLine): AgentEvent[] {
    const content = line.message.content;
    if (typeof content === 'string') return []; // the prompt echoed back
    const events: AgentEvent[] = [];
    for (const block of content) {
      if (block.type !== 'tool_result') continue; // text blocks are prompt echoes
      const output = toolResultText(block.content);
      const ok = block.is_error !== true;
      const hook = HOOK_DENIAL.exec(output);
      if (!ok && hook !== null) {
        // Hook denials have no system/permission_denied line of their own.
        const tool = (block.tool_use_id !== undefined ? toolNames.get(block.tool_use_id) : undefined) ?? hook[1];
        const denied: Extract<AgentEvent, { type: 'agent.permission_denied' }> = {
          type: 'agent.permission_denied',
          message: output.trim(),
          reason: 'hook',
        };
        if (block.tool_use_id !== undefined) denied.toolId = block.tool_use_id;
        if (tool !== undefined) denied.tool = tool;
        events.push(denied);
      }
      const result: Extract<AgentEvent, { type: 'agent.tool_result' }> = {
        type: 'agent.tool_result',
        ok,
        output,
      };
      if (block.tool_use_id !== undefined) result.toolId = block.tool_use_id;
      const exit = EXIT_CODE.exec(output);
      if (exit?.[1] !== undefined) result.exitCode = Number(exit[1]);
      events.push(result);
    }
    return events;
  }

  function parseResult(result: z.infer<typeof ResultSchema>): AgentEvent[] {
    const events: AgentEvent[] = [];
    if (result.usage !== undefined) {
      const { input_tokens, output_tokens, cache_read_input_tokens } = result.usage;
      events.push(
        usageEvent({ input: input_tokens, output: output_tokens, cached: cache_read_input_tokens, costUsd: result.total_cost_usd }),
      );
    }
    const final: Extract<AgentEvent, { type: 'agent.result' }> = {
      type: 'agent.result',
      ok: !result.is_error,
    };
    if (result.result !== undefined) final.text = result.result;
    if (result.is_error) {
      const errors = result.errors?.join('\n');
      final.error = errors !== undefined && errors !== '' ? errors : (result.result ?? result.subtype ?? 'error');
    }
    if (result.api_error_status !== undefined) final.apiErrorStatus = result.api_error_status;
    if (result.permission_denials !== undefined) final.denials = result.permission_denials.length;
    if (result.structured_output !== undefined) final.structured = result.structured_output;
    if (result.queued_turn_count !== undefined && result.queued_turn_count > 0) final.queuedTurns = result.queued_turn_count;
    // `--max-budget-usd` reached (recorded: claude-max-budget, `errors:["Reached maximum budget ($…)"]`, exit 1)
    if (result.subtype === 'error_max_budget_usd') final.ceiling = 'cost';
    events.push(final);
    return events;
  }

  function parseSystem(subtype: string | undefined, value: unknown, raw: string): AgentEvent[] {
    switch (subtype) {
      case 'init':
        return mapWith(
          InitSchema,
          value,
          raw,
          (init) => {
            const event: Extract<AgentEvent, { type: 'agent.session' }> = {
              type: 'agent.session',
              sessionId: init.session_id,
            };
            if (init.model !== undefined) event.model = init.model;
            if (init.cwd !== undefined) event.cwd = init.cwd;
            return [event];
          },
          hand ? checkInit : undefined,
        );
      case 'api_retry':
        return mapWith(
          ApiRetrySchema,
          value,
          raw,
          (retry) => {
            const event: Extract<AgentEvent, { type: 'agent.api_retry' }> = {
              type: 'agent.api_retry',
            };
            if (retry.attempt !== undefined) event.attempt = retry.attempt;
            if (retry.max_retries !== undefined) event.maxRetries = retry.max_retries;
            if (retry.error_status !== undefined) event.status = retry.error_status;
            if (retry.retry_delay_ms !== undefined) event.delayMs = retry.retry_delay_ms;
            if (retry.error !== undefined) event.message = retry.error;
            return [event];
          },
          hand ? checkApiRetry : undefined,
        );
      case 'permission_denied':
        return mapWith(
          PermissionDeniedSchema,
          value,
          raw,
          (denied) => {
            const event: Extract<AgentEvent, { type: 'agent.permission_denied' }> = {
              type: 'agent.permission_denied',
              message: denied.message,
            };
            if (denied.tool_use_id !== undefined) event.toolId = denied.tool_use_id;
            if (denied.tool_name !== undefined) event.tool = denied.tool_name;
            const reason = denied.decision_reason ?? denied.decision_reason_type;
            if (reason !== undefined) event.reason = reason;
            return [event];
          },
          hand ? checkPermissionDenied : undefined,
        );
      case 'status': // `{"status":"requesting"}` progress (with --include-partial-messages)
      case 'hook_started': // hook lifecycle (--include-hook-events); a blocking hook's verdict
      case 'hook_response': // arrives in the tool_result, which is where we report it
      case 'informational': // a notice to a person at a terminal (seen: "Auto mode can't check actions…"); kept raw in stdout.jsonl
        return [];
      default:
        return unknownEvent(raw);
    }
  }

  function parseLine(line: string): AgentEvent[] {
    const read = readTypedLine(line);
    if (read.kind === 'done') return read.events;
    switch (read.type) {
      case 'system':
        return parseSystem(read.subtype, read.value, line);
      case 'assistant':
        return mapWith(MessageLineSchema, read.value, line, parseAssistant, messageCheck);
      case 'user':
        return mapWith(MessageLineSchema, read.value, line, parseUser, messageCheck);
      case 'result':
        return mapWith(ResultSchema, read.value, line, parseResult);
      case 'rate_limit_event':
        return mapWith(RateLimitEventSchema, read.value, line, ({ rate_limit_info: info }) => [
          {
            type: 'agent.rate_limit',
            status: info.status,
            ...(info.resetsAt !== undefined ? { resetsAt: new Date(info.resetsAt * 1000).toISOString() } : {}),
            ...(info.rateLimitType !== undefined ? { limitType: info.rateLimitType } : {}),
          },
        ]);
      case 'stream_event':
        // Raw SSE deltas (--include-partial-messages); the complete `assistant` line follows.
        return [];
      default:
        return unknownEvent(line);
    }
  }

  return { parseLine, flush: () => [] };
}
