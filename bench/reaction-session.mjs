// One fresh supervisor process for the reaction benchmark (bench/reaction-fresh.mjs): it starts
// the way a session does, launches the emitter, and reacts to the emitter's first command line.
//   orchestrate: the event path warmed at start as a session does (warmEventPath: the parsers,
//                the filter, the guards), then the real run pipeline (runAgent, the claude
//                adapter, the real command guard).
//   cold:        the same without warming first (how sessions started before).
//   minimal:     spawn, split lines, JSON.parse, kill the group on the first Bash tool_use.
// Prints the µs from the line's stamp to the agent's death (the kernel reported its exit), and
// for orchestrate and cold also to the run being fully recorded (runAgent returned: output
// drained, outcome decided, journal written).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const nowUs = () => Math.round((performance.timeOrigin + performance.now()) * 1000);
const mode = process.argv[2];
const command = process.argv[3] ?? 'rm -rf ../*';
const emitter = [path.join(here, 'emitter.mjs'), command];

if (mode === 'minimal') {
  const child = spawn(process.execPath, emitter, { stdio: ['ignore', 'pipe', 'ignore'], detached: true });
  let buf = '';
  child.stdout.setEncoding('utf8').on('data', (d) => {
    buf += d;
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const e = JSON.parse(buf.slice(0, nl));
      buf = buf.slice(nl + 1);
      const use = e.type === 'assistant' && e.message.content.find((c) => c.type === 'tool_use');
      if (use) {
        const stamp = Number(use.id.slice('toolu_'.length));
        process.kill(-child.pid, 'SIGKILL');
        child.on('exit', () => console.log(`${nowUs() - stamp} 0`));
      }
    }
  });
} else {
  const { warmEventPath } = await import('../dist/supervisor/warm-event-path.js');
  const { AgentProcess } = await import('../dist/process/spawn-agent.js');
  const { getAdapter } = await import('../dist/agents/registry.js');
  const { Journal } = await import('../dist/session/journal.js');
  const { systemClock } = await import('../dist/clock.js');
  const { runAgent } = await import('../dist/supervisor/agent-run.js');
  const { createCommandGuard } = await import('../dist/safety/command-guard.js');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-reaction-'));
  // `cold`: the same without warming, as every session's first command was judged before.
  if (mode !== 'cold') warmEventPath();
  const journal = new Journal(path.join(dir, 'events.jsonl'), systemClock);
  let stamp = 0;
  let died = 0;
  journal.subscribe((e) => {
    if (e.type === 'agent.tool_call' && !stamp) stamp = Number(String(e.toolId).slice('toolu_'.length));
  });
  const target = path.join(dir, 'project');
  const guard = createCommandGuard(() => ({ cwd: target, workspaceRoots: [target], home: os.homedir(), tmpDirs: ['/tmp'] }));
  const result = await runAgent(
    {
      agent: 'claude',
      assignmentId: 'bench',
      run: 'r',
      adapter: getAdapter('claude'),
      command: { file: process.execPath, args: emitter, env: {} },
      agentArgv: ['emitter'],
      env: { PATH: process.env.PATH ?? '' },
      cwd: dir,
      prompt: '',
      paths: {
        dir: path.join(dir, 'r'),
        command: path.join(dir, 'r', 'command.json'),
        prompt: path.join(dir, 'r', 'prompt.md'),
        stdout: path.join(dir, 'r', 'stdout.jsonl'),
        stderr: path.join(dir, 'r', 'stderr.log'),
      },
      journal,
      clock: systemClock,
      policies: [guard],
      timeoutMs: 20_000,
      stallMs: 0,
      killGraceMs: 1000,
      signal: new AbortController().signal,
    },
    async (options) => {
      // the real spawner; only noting the moment the agent is gone
      const agent = await AgentProcess.start(options);
      void agent.gone.then(() => (died = nowUs()));
      return agent;
    },
  );
  const recorded = nowUs();
  journal.close();
  rmSync(dir, { recursive: true, force: true });
  if (result.status !== 'stopped_by_safety') throw new Error(`expected a stop by the guard, got ${result.status}`);
  console.log(`${died - stamp} ${recorded - stamp}`);
}
