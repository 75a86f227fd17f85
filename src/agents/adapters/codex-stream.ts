import { z } from 'zod';
import type { AgentEvent, StreamParser, ToolKind } from '../../events/agent-event.js';
import { unwrapShellCommand } from './shell-unwrap.js';
import {
  isRecord,
  mapWith,
  messageEvents,
  nullableNumber,
  nullableString,
  optionalString,
  parseJsonObject,
  readTypedLine,
  unknownEvent,
  usageEvent,
  type ParserOptions,
} from './stream-helpers.js';

// Wire shapes of `codex exec --json` (0.169.0), from fixtures/streams/codex-*.jsonl and
// REFERENCE.md §5; item types the recordings lack follow codex's sdk/typescript/src/items.ts
// (based on codex-rs/exec/src/exec_events.rs). Only the fields we read; zod drops the rest.

/** `thread.started`: the thread id is what `codex exec resume` takes. */
const ThreadStartedSchema = z.object({ thread_id: z.string() });

/** `error`: transient (`Reconnecting... 1/5 (…)`) or the final error before `turn.failed`. */
const ErrorSchema = z.object({ message: z.string() });

/** `turn.completed`: token use for the turn. */
const TurnCompletedSchema = z.object({
  usage: z
    .object({
      input_tokens: z.number().default(0),
      cached_input_tokens: nullableNumber,
      output_tokens: z.number().default(0),
    })
    .optional(),
});

/** `turn.failed`: the turn is over; codex exits 1. */
const TurnFailedSchema = z.object({
  error: z.object({ message: z.string() }).optional(),
});

/** The `item` of `item.started` / `item.updated` / `item.completed`. */
const ItemSchema = z.object({
  id: z.string(),
  type: z.string(),
  /** command_execution: the wrapped shell line, e.g. `/bin/bash -lc 'ls'`. */
  command: z.string().optional(),
  aggregated_output: nullableString,
  /** command_execution: null until the command exits. */
  exit_code: nullableNumber,
  /** in_progress | completed | failed | declined. */
  status: z.string().optional(),
  /** file_change: the files a patch touches. */
  changes: z.array(z.object({ path: z.string(), kind: z.string() })).optional(),
  /** agent_message, reasoning. */
  text: z.string().optional(),
  /** error items (non-fatal, e.g. unknown model metadata). */
  message: z.string().optional(),
  /** mcp_tool_call. */
  server: z.string().optional(),
  tool: z.string().optional(),
  error: z.object({ message: z.string() }).nullish(),
  /** web_search. */
  query: z.string().optional(),
  /**
   * request_user_input: the model asks the person (app-server `ToolRequestUserInputParams`,
   * EXPERIMENTAL: `questions: [{id, header, question, options}]`). Nobody can answer in `exec`.
   */
  questions: z.array(z.object({ question: z.string(), header: z.string().optional() })).optional(),
});
type Item = z.infer<typeof ItemSchema>;

const ItemEventSchema = z.object({ item: ItemSchema });
type ItemEvent = z.infer<typeof ItemEventSchema>;

/**
 * What ItemEventSchema accepts, by hand (item lines are most of a codex stream); undefined: let
 * the schema decide. zod turns a null `aggregated_output` or `exit_code` into undefined, and so
 * does this (on a copy of the item; the line itself is not changed).
 */
function checkItemEvent(value: unknown): ItemEvent | undefined {
  if (!isRecord(value)) return undefined;
  const item = value['item'];
  if (!isRecord(item) || typeof item['id'] !== 'string' || typeof item['type'] !== 'string') return undefined;
  for (const key of ITEM_STRINGS) if (!optionalString(item[key])) return undefined;
  const output = item['aggregated_output'];
  const exitCode = item['exit_code'];
  if (!(output === undefined || output === null || typeof output === 'string')) return undefined;
  if (!(exitCode === undefined || exitCode === null || typeof exitCode === 'number')) return undefined;
  const error = item['error'];
  if (error !== undefined && error !== null && !(isRecord(error) && typeof error['message'] === 'string')) return undefined;
  if (!optionalArrayOf(item['changes'], (c) => typeof c['path'] === 'string' && typeof c['kind'] === 'string')) return undefined;
  if (!optionalArrayOf(item['questions'], (q) => typeof q['question'] === 'string' && optionalString(q['header']))) return undefined;
  if (output !== null && exitCode !== null) return { item: item as Item };
  return { item: { ...(item as Item), aggregated_output: output ?? undefined, exit_code: exitCode ?? undefined } };
}

/** The item's fields ItemSchema takes as optional strings. */
const ITEM_STRINGS = ['command', 'status', 'text', 'message', 'server', 'tool', 'query'] as const;

function optionalArrayOf(value: unknown, each: (element: Record<string, unknown>) => boolean): boolean {
  return value === undefined || (Array.isArray(value) && (value as unknown[]).every((e) => isRecord(e) && each(e)));
}

/** Item types that call a tool and so produce tool_call / tool_result. */
const TOOL_ITEMS = new Set(['command_execution', 'file_change', 'mcp_tool_call', 'web_search', 'collab_tool_call']);
/** Item types that are progress or bookkeeping only. */
const QUIET_ITEMS = new Set(['reasoning', 'todo_list', 'plan', 'agent_message', 'error']);

/** `Reconnecting... 2/5 (exceeded retry limit, last status: 429 Too Many Requests)`. */
const RECONNECTING = /^Reconnecting\.\.\.\s*(?:(\d+)\/(\d+))?\s*(?:\((.*)\))?/s;
const HTTP_STATUS = /\bstatus:?\s*(\d{3})\b/;

function fileChangeKind(item: Item): ToolKind {
  // A patch that only adds files writes new files; any update/delete edits existing ones.
  const changes = item.changes ?? [];
  return changes.length > 0 && changes.every((change) => change.kind === 'add') ? 'file_write' : 'file_edit';
}

function toolCallEvent(item: Item): AgentEvent {
  const event: Extract<AgentEvent, { type: 'agent.tool_call' }> = {
    type: 'agent.tool_call',
    toolId: item.id,
    tool: item.type,
    kind: 'other',
  };
  if (item.type === 'command_execution') {
    event.kind = 'shell';
    if (item.command !== undefined) event.command = unwrapShellCommand(item.command);
  } else if (item.type === 'file_change') {
    event.kind = fileChangeKind(item);
    const paths = (item.changes ?? []).map((change) => change.path);
    event.paths = paths;
    if (paths[0] !== undefined) event.path = paths[0];
  } else if (item.type === 'mcp_tool_call' && item.tool !== undefined) {
    event.tool = item.server !== undefined ? `${item.server}.${item.tool}` : item.tool;
  }
  return event;
}

function toolResultEvent(item: Item): AgentEvent {
  const event: Extract<AgentEvent, { type: 'agent.tool_result' }> = {
    type: 'agent.tool_result',
    toolId: item.id,
    // `failed` carries the exit code; a completed command with a non-zero code is still a failure.
    ok: item.status === 'completed' && (item.exit_code === undefined || item.exit_code === 0),
  };
  if (item.exit_code !== undefined) event.exitCode = item.exit_code;
  const output = item.aggregated_output ?? item.error?.message;
  if (output !== undefined) event.output = output;
  return event;
}

/**
 * A fresh parser for one codex run. Stateful to avoid a duplicate tool_call when both
 * item.started and item.completed arrive, and to carry the last agent_message into the result
 * (codex has no final text event: success is `turn.completed`).
 */
export function createCodexParser(options: ParserOptions = {}): StreamParser {
  const itemCheck = options.handChecks === false ? undefined : checkItemEvent;
  const announced = new Set<string>();
  let lastMessage: string | undefined;

  function announce(item: Item): AgentEvent[] {
    if (announced.has(item.id)) return [];
    announced.add(item.id);
    return [toolCallEvent(item)];
  }

  /** A question to the person becomes a blocker: headless, nobody will answer it. */
  function question(item: Item): AgentEvent[] {
    if (announced.has(item.id)) return [];
    announced.add(item.id);
    const text = (item.questions ?? []).map((q) => q.question).join(' / ') || item.text || 'the agent asked a question';
    return [{ type: 'agent.report', kind: 'blocker', text: `codex asks: ${text}` }];
  }

  function itemStarted(item: Item, raw: string): AgentEvent[] {
    if (item.type === 'request_user_input') return question(item);
    if (TOOL_ITEMS.has(item.type)) return announce(item);
    return QUIET_ITEMS.has(item.type) ? [] : unknownEvent(raw);
  }

  function itemUpdated(item: Item, raw: string): AgentEvent[] {
    // Progress of an item already announced (todo_list ticks, command output so far).
    return TOOL_ITEMS.has(item.type) || QUIET_ITEMS.has(item.type) || item.type === 'request_user_input' ? [] : unknownEvent(raw);
  }

  function itemCompleted(item: Item, raw: string): AgentEvent[] {
    switch (item.type) {
      case 'request_user_input':
        return question(item);
      case 'agent_message': {
        const text = item.text ?? '';
        lastMessage = text;
        return text === '' ? [] : messageEvents(text);
      }
      case 'error':
        return [
          {
            type: 'agent.error',
            message: item.message ?? item.text ?? 'unknown error',
            fatal: false,
          },
        ];
      case 'reasoning':
      case 'todo_list':
      case 'plan':
        return [];
      default:
        break;
    }
    if (!TOOL_ITEMS.has(item.type)) return unknownEvent(raw);
    const events = announce(item);
    if (item.status === 'declined') {
      // Declined by the approval layer: the command never ran.
      events.push({
        type: 'agent.permission_denied',
        toolId: item.id,
        tool: item.type,
        message: item.command !== undefined ? `declined: ${unwrapShellCommand(item.command)}` : 'declined',
        reason: 'declined',
      });
    }
    // web_search has no outcome worth a result event.
    if (item.type !== 'web_search') events.push(toolResultEvent(item));
    return events;
  }

  function errorEvent(message: string): AgentEvent[] {
    const retry = RECONNECTING.exec(message);
    if (retry === null) {
      // The final error; the turn.failed that follows is the run's result.
      return [{ type: 'agent.error', message, fatal: false }];
    }
    const event: Extract<AgentEvent, { type: 'agent.api_retry' }> = {
      type: 'agent.api_retry',
      message,
    };
    if (retry[1] !== undefined) event.attempt = Number(retry[1]);
    if (retry[2] !== undefined) event.maxRetries = Number(retry[2]);
    // Only 429 shows its status; a 500 reads "We're currently experiencing high demand…".
    const status = HTTP_STATUS.exec(retry[3] ?? '');
    if (status?.[1] !== undefined) event.status = Number(status[1]);
    return [event];
  }

  function parseLine(line: string): AgentEvent[] {
    const read = readTypedLine(line);
    if (read.kind === 'done') return read.events;
    const value = read.value;
    switch (read.type) {
      case 'thread.started':
        return mapWith(ThreadStartedSchema, value, line, (started) => [{ type: 'agent.session', sessionId: started.thread_id }]);
      case 'turn.started':
        lastMessage = undefined; // a resumed thread runs a new turn; its answer starts fresh
        return [];
      case 'item.started':
        return mapWith(ItemEventSchema, value, line, ({ item }) => itemStarted(item, line), itemCheck);
      case 'item.updated':
        return mapWith(ItemEventSchema, value, line, ({ item }) => itemUpdated(item, line), itemCheck);
      case 'item.completed':
        return mapWith(ItemEventSchema, value, line, ({ item }) => itemCompleted(item, line), itemCheck);
      case 'error':
        return mapWith(ErrorSchema, value, line, (error) => errorEvent(error.message));
      case 'turn.completed':
        return mapWith(TurnCompletedSchema, value, line, (turn) => {
          const events: AgentEvent[] = [];
          if (turn.usage !== undefined) {
            const { input_tokens, output_tokens, cached_input_tokens } = turn.usage;
            events.push(usageEvent({ input: input_tokens, output: output_tokens, cached: cached_input_tokens }));
          }
          const result: Extract<AgentEvent, { type: 'agent.result' }> = {
            type: 'agent.result',
            ok: true,
          };
          if (lastMessage !== undefined) result.text = lastMessage;
          // With --output-schema the final agent_message is the JSON answer.
          const structured = parseJsonObject(lastMessage);
          if (structured !== undefined) result.structured = structured;
          events.push(result);
          return events;
        });
      case 'turn.failed':
        return mapWith(TurnFailedSchema, value, line, (turn) => [
          { type: 'agent.result', ok: false, error: turn.error?.message ?? 'turn failed' },
        ]);
      default:
        return unknownEvent(line);
    }
  }

  return { parseLine, flush: () => [] };
}
