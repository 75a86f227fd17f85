import { describe, expect, it } from 'vitest';
import { listRecordings, ofType, parseLines } from './recorded-streams.js';

/** The line types that end a run, per CLI (REFERENCE.md §5 and §7). */
const FINAL_TYPES = new Set(['result', 'turn.completed', 'turn.failed']);

function lineType(line: string): string | undefined {
  const value: unknown = JSON.parse(line);
  return typeof value === 'object' && value !== null ? (value as { type?: string }).type : undefined;
}

/** The event kind EVENTS.md names: type[/subtype][/item.type][/role][/content block types]. */
function kindOf(line: string): string {
  const value = JSON.parse(line) as {
    type: string;
    subtype?: string;
    role?: string;
    item?: { type?: string };
    message?: { content?: unknown };
    event?: { type?: string };
  };
  const parts = [value.type];
  if (value.subtype !== undefined) parts.push(value.subtype);
  if (value.item?.type !== undefined) parts.push(value.item.type);
  if (value.role !== undefined) parts.push(value.role);
  if (value.event?.type !== undefined) parts.push(value.event.type);
  const content = value.message?.content;
  if (Array.isArray(content)) parts.push(content.map((block: { type?: string }) => block.type).join('+'));
  return parts.join('/');
}

const recordings = listRecordings();

describe('every recorded real-CLI stream', () => {
  it('finds the recordings on disk', () => {
    expect(recordings.length).toBeGreaterThanOrEqual(50);
    expect(new Set(recordings.map((rec) => rec.agent))).toEqual(new Set(['claude', 'codex', 'gemini']));
  });

  describe.each(recordings.map((rec) => [rec.name, rec] as const))('%s', (_name, rec) => {
    const events = parseLines(rec.agent, rec.lines);

    it('parses without parse errors or unknown kinds', () => {
      expect(ofType(events, 'agent.parse_error')).toEqual([]);
      expect(ofType(events, 'agent.unknown')).toEqual([]);
    });

    it('has exactly one agent.result when the recording has a final event, else none', () => {
      const last = rec.lines.at(-1);
      const hasFinal = last !== undefined && FINAL_TYPES.has(lineType(last) ?? '');
      expect(ofType(events, 'agent.result')).toHaveLength(hasFinal ? 1 : 0);
      if (hasFinal) expect(events.at(-1)?.type).toBe('agent.result');
    });

    it('reports the session id the CLI printed', () => {
      const first = rec.lines[0];
      if (first === undefined) {
        // startup refusal: stdout was empty
        expect(events).toEqual([]);
        return;
      }
      const head = JSON.parse(first) as {
        type: string;
        subtype?: string;
        session_id?: string;
        thread_id?: string;
      };
      const starts = head.type === 'init' || head.type === 'thread.started' || head.subtype === 'init';
      const sessions = ofType(events, 'agent.session');
      if (starts) {
        expect(sessions).toEqual([expect.objectContaining({ sessionId: head.session_id ?? head.thread_id })]);
      } else {
        expect(sessions).toEqual([]);
      }
    });
  });

  it('maps every event kind seen in the recordings to a known event', () => {
    const examples = new Map<string, { agent: (typeof recordings)[number]['agent']; line: string }>();
    for (const rec of recordings) {
      for (const line of rec.lines) {
        const kind = `${rec.agent}:${kindOf(line)}`;
        if (!examples.has(kind)) examples.set(kind, { agent: rec.agent, line });
      }
    }
    // The catalogue in EVENTS.md: at least these kinds occur.
    expect([...examples.keys()]).toEqual(
      expect.arrayContaining([
        'claude:system/init',
        'claude:system/status',
        'claude:system/api_retry',
        'claude:system/permission_denied',
        'claude:system/hook_started',
        'claude:system/hook_response',
        'claude:stream_event/message_start',
        'claude:stream_event/content_block_delta',
        'claude:stream_event/message_stop',
        'claude:assistant/tool_use',
        'claude:assistant/text',
        'claude:user/tool_result',
        'claude:result/success',
        'claude:result/error_during_execution',
        'codex:thread.started',
        'codex:turn.started',
        'codex:item.started/command_execution',
        'codex:item.started/file_change',
        'codex:item.completed/command_execution',
        'codex:item.completed/file_change',
        'codex:item.completed/agent_message',
        'codex:error',
        'codex:turn.completed',
        'codex:turn.failed',
        'gemini:init',
        'gemini:message/user',
        'gemini:message/assistant',
        'gemini:tool_use',
        'gemini:tool_result',
        'gemini:result',
      ]),
    );
    for (const [kind, { agent, line }] of examples) {
      const types = parseLines(agent, [line]).map((event) => event.type);
      expect(types, kind).not.toContain('agent.unknown');
      expect(types, kind).not.toContain('agent.parse_error');
    }
  });
});
