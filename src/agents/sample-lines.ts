import type { AgentId } from './agent-id.js';

/**
 * One short turn of each CLI's stream, shaped like the recordings in fixtures/streams/
 * (claude-ok, gemini-ok, codex-ok): start, a shell tool call, its result, a message, the end.
 * Used to warm each adapter's parser before the first agent starts (warm-adapters.ts).
 */
export const SAMPLE_LINES: Readonly<Record<AgentId, readonly string[]>> = {
  claude: [
    '{"type":"system","subtype":"init","cwd":"/warm/project","session_id":"00000000-0000-4000-8000-000000000000","tools":["Bash","Edit","Read","Write"],"mcp_servers":[],"model":"warm","permissionMode":"bypassPermissions","claude_code_version":"0.0.0"}',
    '{"type":"assistant","message":{"id":"msg_w1","type":"message","role":"assistant","model":"warm","content":[{"type":"tool_use","id":"toolu_w1","name":"Bash","input":{"command":"echo hello > out.txt","description":"warm"}}],"stop_reason":null,"usage":{"input_tokens":1,"output_tokens":1,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}},"parent_tool_use_id":null,"session_id":"00000000-0000-4000-8000-000000000000"}',
    '{"type":"assistant","message":{"id":"msg_w2","type":"message","role":"assistant","model":"warm","content":[{"type":"tool_use","id":"toolu_w2","name":"Write","input":{"file_path":"/warm/project/a.txt","content":"x"}}],"stop_reason":null,"usage":{"input_tokens":1,"output_tokens":1}},"parent_tool_use_id":null,"session_id":"00000000-0000-4000-8000-000000000000"}',
    '{"type":"user","message":{"role":"user","content":[{"tool_use_id":"toolu_w1","type":"tool_result","content":"(Bash completed with no output)","is_error":false}]},"parent_tool_use_id":null,"session_id":"00000000-0000-4000-8000-000000000000"}',
    '{"type":"assistant","message":{"id":"msg_w3","type":"message","role":"assistant","model":"warm","content":[{"type":"text","text":"done"}],"stop_reason":null,"usage":{"input_tokens":1,"output_tokens":1}},"parent_tool_use_id":null,"session_id":"00000000-0000-4000-8000-000000000000"}',
    '{"type":"result","subtype":"success","is_error":false,"duration_ms":1,"num_turns":1,"result":"done","session_id":"00000000-0000-4000-8000-000000000000","total_cost_usd":0,"usage":{"input_tokens":1,"output_tokens":1,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}}',
  ],
  gemini: [
    '{"type":"init","timestamp":"2026-01-01T00:00:00.000Z","session_id":"00000000-0000-4000-8000-000000000000","model":"warm"}',
    '{"type":"tool_use","timestamp":"2026-01-01T00:00:00.000Z","tool_name":"run_shell_command","tool_id":"warm_1","parameters":{"command":"echo hello > out.txt","description":"warm"}}',
    '{"type":"tool_result","timestamp":"2026-01-01T00:00:00.000Z","tool_id":"warm_1","status":"success","output":""}',
    '{"type":"message","timestamp":"2026-01-01T00:00:00.000Z","role":"assistant","content":"done","delta":true}',
    '{"type":"result","timestamp":"2026-01-01T00:00:00.000Z","status":"success","stats":{"total_tokens":2,"input_tokens":1,"output_tokens":1,"cached":0,"input":1,"duration_ms":1,"tool_calls":1}}',
  ],
  codex: [
    '{"type":"thread.started","thread_id":"00000000-0000-4000-8000-000000000000"}',
    '{"type":"turn.started"}',
    '{"type":"item.started","item":{"id":"item_0","type":"command_execution","command":"/bin/bash -lc \'echo hello > out.txt\'","aggregated_output":"","exit_code":null,"status":"in_progress"}}',
    '{"type":"item.completed","item":{"id":"item_0","type":"command_execution","command":"/bin/bash -lc \'echo hello > out.txt\'","aggregated_output":"","exit_code":0,"status":"completed"}}',
    '{"type":"item.completed","item":{"id":"item_1","type":"agent_message","text":"done"}}',
    '{"type":"turn.completed","usage":{"input_tokens":1,"cached_input_tokens":0,"output_tokens":1,"reasoning_output_tokens":0}}',
  ],
};
