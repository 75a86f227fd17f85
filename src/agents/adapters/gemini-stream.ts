import { extractReports } from '../../events/report-lines.js';
import { z } from 'zod';
import type { AgentEvent, StreamParser, ToolKind } from '../../events/agent-event.js';
import {
  isRecord,
  mapWith,
  messageEvents,
  nullableNumber,
  optionalBoolean,
  optionalString,
  readJsonLine,
  stringField,
  typedHead,
  unknownEvent,
  usageEvent,
  TypedEventSchema,
  type ParserOptions,
} from './stream-helpers.js';

// Wire shapes of `gemini -o stream-json` (0.61.0), from fixtures/streams/gemini-*.jsonl and
// REFERENCE.md §5 (types in gemini-cli packages/core/src/output/types.ts). Only the fields we
// read; zod drops the rest.

/** `init`: the first line; `session_id` is what `--resume` takes. */
const InitSchema = z.object({
  session_id: z.string(),
  model: z.string().optional(),
});

/** `message`: the user prompt echo, or an assistant chunk (`delta:true`) to concatenate. */
const MessageSchema = z.object({
  role: z.string(),
  content: z.string().default(''),
  delta: z.boolean().optional(),
});

/** `tool_use`: the model asked for a tool. */
const ToolUseSchema = z.object({
  tool_name: z.string(),
  tool_id: z.string().optional(),
  parameters: z.unknown().optional(),
});

/** `{type, message}` of a failed tool call or run. */
const ErrorInfoSchema = z.object({
  /** `policy_violation`, `invalid_tool_params`, `unknown`, … */
  type: z.string().optional(),
  message: z.string(),
});

/** `tool_result`: a shell command exiting non-zero is still `success` (no exit code here). */
const ToolResultSchema = z.object({
  tool_id: z.string().optional(),
  status: z.string(),
  output: z.string().optional(),
  error: ErrorInfoSchema.optional(),
});

/** `error`: documented as a non-fatal warning; never seen in the recordings. */
const ErrorEventSchema = z.object({
  message: z.string(),
  severity: z.string().optional(),
});

/** `result`: the last line of a run that reached the model. */
const ResultSchema = z.object({
  status: z.string(),
  error: ErrorInfoSchema.optional(),
  stats: z
    .object({
      input_tokens: nullableNumber,
      /** Older name of input_tokens; both are present in 0.61. */
      input: nullableNumber,
      output_tokens: nullableNumber,
      cached: nullableNumber,
    })
    .optional(),
});

type Message = z.infer<typeof MessageSchema>;
type ToolUse = z.infer<typeof ToolUseSchema>;
type ToolResult = z.infer<typeof ToolResultSchema>;

// The shapes of the lines that come most (message deltas, tool calls and results), checked by
// hand; undefined lets the schema decide (a message without content gets zod's default '').

function checkMessage(value: unknown): Message | undefined {
  return isRecord(value) && typeof value['role'] === 'string' && typeof value['content'] === 'string' && optionalBoolean(value['delta'])
    ? (value as Message)
    : undefined;
}

function checkToolUse(value: unknown): ToolUse | undefined {
  return isRecord(value) && typeof value['tool_name'] === 'string' && optionalString(value['tool_id']) ? (value as ToolUse) : undefined;
}

function checkToolResult(value: unknown): ToolResult | undefined {
  if (!isRecord(value) || !optionalString(value['tool_id']) || typeof value['status'] !== 'string' || !optionalString(value['output']))
    return undefined;
  const error = value['error'];
  if (error !== undefined && !(isRecord(error) && optionalString(error['type']) && typeof error['message'] === 'string')) return undefined;
  return value as ToolResult;
}

function classifyGeminiTool(name: string): ToolKind {
  switch (name) {
    case 'run_shell_command':
      return 'shell';
    case 'write_file':
      return 'file_write';
    case 'replace':
    case 'edit':
      return 'file_edit';
    default:
      return 'other';
  }
}

/** Tool errors that mean the CLI refused the call, not that the call failed. */
function isDenial(error: z.infer<typeof ErrorInfoSchema> | undefined): boolean {
  if (error === undefined) return false;
  if (error.type === 'policy_violation') return true; // --policy deny rule
  return error.type === 'invalid_tool_params' && error.message.startsWith('Path not in workspace');
}

/** `"code":500` inside the API error JSON gemini quotes in result.error.message. */
const EMBEDDED_CODE = /"code":\s*(\d{3})\b/;
/** Gemini's own advice appended to rate-limit (429) errors (recorded in gemini-err429). */
const QUOTA_HINT = 'request a quota increase';

function apiErrorStatus(message: string): number | undefined {
  const code = EMBEDDED_CODE.exec(message)?.[1];
  if (code !== undefined) return Number(code);
  return message.includes(QUOTA_HINT) ? 429 : undefined;
}

/**
 * A fresh parser for one gemini run. Assistant text arrives as `delta:true` chunks; they are
 * buffered and joined into one `agent.message` when any other event arrives or at `flush()`.
 */
export function createGeminiParser(options: ParserOptions = {}): StreamParser {
  const hand = options.handChecks !== false;
  let pending: string[] = [];
  /** How much of the open message's text has already been scanned for report lines. */
  let reportedUpTo = 0;
  let lastMessage: string | undefined;
  const toolNames = new Map<string, string>();

  function flushMessage(): AgentEvent[] {
    if (pending.length === 0) return [];
    const text = pending.join('');
    const scanned = reportedUpTo;
    pending = [];
    reportedUpTo = 0;
    if (text === '') return [];
    lastMessage = text;
    return messageEvents(text, scanned);
  }

  /**
   * Report lines must not wait for the message to end (a gemini that hangs after `MILESTONE:`
   * would hide it): each complete line of the open message is scanned as soon as it arrives.
   */
  function reportsSoFar(): AgentEvent[] {
    const text = pending.join('');
    const end = text.lastIndexOf('\n') + 1;
    if (end <= reportedUpTo) return [];
    const complete = text.slice(reportedUpTo, end);
    reportedUpTo = end;
    return extractReports(complete);
  }

  function toolUse(use: ToolUse): AgentEvent[] {
    const kind = classifyGeminiTool(use.tool_name);
    const event: Extract<AgentEvent, { type: 'agent.tool_call' }> = {
      type: 'agent.tool_call',
      tool: use.tool_name,
      kind,
    };
    if (use.tool_id !== undefined) {
      event.toolId = use.tool_id;
      toolNames.set(use.tool_id, use.tool_name);
    }
    if (kind === 'shell') {
      const command = stringField(use.parameters, 'command');
      if (command !== undefined) event.command = command;
    } else if (kind === 'file_write' || kind === 'file_edit') {
      const path = stringField(use.parameters, 'file_path');
      if (path !== undefined) event.path = path;
    }
    return [event];
  }

  function toolResult(result: ToolResult): AgentEvent[] {
    const events: AgentEvent[] = [];
    const tool = result.tool_id !== undefined ? toolNames.get(result.tool_id) : undefined;
    if (result.error !== undefined && isDenial(result.error)) {
      const denied: Extract<AgentEvent, { type: 'agent.permission_denied' }> = {
        type: 'agent.permission_denied',
        message: result.error.message,
      };
      if (result.tool_id !== undefined) denied.toolId = result.tool_id;
      if (tool !== undefined) denied.tool = tool;
      if (result.error.type !== undefined) denied.reason = result.error.type;
      events.push(denied);
    }
    const event: Extract<AgentEvent, { type: 'agent.tool_result' }> = {
      type: 'agent.tool_result',
      ok: result.status === 'success',
    };
    if (result.tool_id !== undefined) event.toolId = result.tool_id;
    const output = result.output ?? result.error?.message;
    if (output !== undefined) event.output = output;
    events.push(event);
    return events;
  }

  function finalResult(result: z.infer<typeof ResultSchema>): AgentEvent[] {
    const events: AgentEvent[] = [];
    if (result.stats !== undefined) {
      const { stats } = result;
      events.push(usageEvent({ input: stats.input_tokens ?? stats.input ?? 0, output: stats.output_tokens ?? 0, cached: stats.cached }));
    }
    const final: Extract<AgentEvent, { type: 'agent.result' }> = {
      type: 'agent.result',
      ok: result.status === 'success',
    };
    // gemini's result has no text of its own; the answer is the last assistant message.
    if (lastMessage !== undefined) final.text = lastMessage;
    if (!final.ok) final.error = result.error?.message ?? `status ${result.status}`;
    const status = result.error !== undefined ? apiErrorStatus(result.error.message) : undefined;
    if (status !== undefined) final.apiErrorStatus = status;
    events.push(final);
    return events;
  }

  function parseEvent(type: string, value: unknown, raw: string): AgentEvent[] {
    switch (type) {
      case 'init':
        return mapWith(InitSchema, value, raw, (init) => {
          const event: Extract<AgentEvent, { type: 'agent.session' }> = {
            type: 'agent.session',
            sessionId: init.session_id,
          };
          if (init.model !== undefined) event.model = init.model;
          return [event];
        });
      case 'message':
        // the user prompt echoed back (assistant messages are handled in parseLine)
        return mapWith(MessageSchema, value, raw, () => [], hand ? checkMessage : undefined);
      case 'tool_use':
        return mapWith(ToolUseSchema, value, raw, toolUse, hand ? checkToolUse : undefined);
      case 'tool_result':
        return mapWith(ToolResultSchema, value, raw, toolResult, hand ? checkToolResult : undefined);
      case 'error':
        return mapWith(ErrorEventSchema, value, raw, (error) => [{ type: 'agent.error', message: error.message, fatal: false }]);
      case 'result':
        return mapWith(ResultSchema, value, raw, finalResult);
      default:
        return unknownEvent(raw);
    }
  }

  function parseLine(line: string): AgentEvent[] {
    const read = readJsonLine(line);
    if (read.kind === 'empty') return [];
    // A stray non-JSON line does not end a message: deltas around it still join.
    if (read.kind === 'invalid') return [read.event];
    const head = hand ? typedHead(read.value) : TypedEventSchema.safeParse(read.value).data;
    if (head?.type === 'message') {
      const message = (hand ? checkMessage(read.value) : undefined) ?? MessageSchema.safeParse(read.value).data;
      if (message !== undefined && message.role === 'assistant') {
        if (message.delta === true) {
          pending.push(message.content);
          return reportsSoFar();
        }
        // A complete (non-delta) assistant message: close any open one, then emit it whole.
        const open = flushMessage();
        pending.push(message.content);
        return [...open, ...flushMessage()];
      }
    }
    const before = flushMessage();
    const events = head !== undefined ? parseEvent(head.type, read.value, line) : unknownEvent(line);
    return [...before, ...events];
  }

  return { parseLine, flush: flushMessage };
}
