// The agent side of the reaction benchmark: prints a claude init line, then one Bash tool_use line
// stamped with the wall-clock time (µs) it was written, then waits to be stopped.
const stamp = () => Math.round((performance.timeOrigin + performance.now()) * 1000);
const session = '00000000-0000-4000-8000-000000000001';
process.stdout.write(`${JSON.stringify({ type: 'system', subtype: 'init', session_id: session, cwd: process.cwd(), model: 'bench' })}\n`);
const command = process.argv[2] ?? 'ls';
const line = {
  type: 'assistant',
  session_id: session,
  message: {
    id: 'msg_b',
    role: 'assistant',
    model: 'bench',
    content: [{ type: 'tool_use', id: `toolu_${stamp()}`, name: 'Bash', input: { command, description: 'bench' } }],
  },
};
process.stdout.write(`${JSON.stringify(line)}\n`);
setInterval(() => undefined, 1 << 30);
