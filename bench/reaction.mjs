// Reaction benchmark: a simulated agent writes an event line; we time until orchestrate has acted:
// (a) the event is journaled, (b) for a stop decision, the agent's process group is gone.
// The agent stamps its line with the wall-clock time in µs (tool id `toolu_<µs>`); both sides
// read the same clock.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getAdapter } from '../dist/agents/registry.js';
import { Journal } from '../dist/session/journal.js';
import { systemClock } from '../dist/clock.js';
import { runAgent } from '../dist/supervisor/agent-run.js';
import { groupAlive } from '../dist/process/kill-group.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const nowUs = () => Math.round((performance.timeOrigin + performance.now()) * 1000);

/** Stops the run on the first shell tool call; a stand-in for any stop decision. */
function stopOnShell(policyFactory) {
  return (
    policyFactory ?? {
      name: 'bench-stop',
      onEvent: (_run, e) =>
        e.type === 'agent.tool_call' && e.kind === 'shell' ? [{ type: 'stop', status: 'stopped_by_safety', reason: 'bench' }] : [],
    }
  );
}

export async function runReaction({ runs = 120, command = 'rm -rf /', policy } = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-reaction-'));
  const journalUs = [];
  const stopUs = [];
  for (let i = 0; i < runs; i++) {
    const journal = new Journal(path.join(dir, `events-${i}.jsonl`), systemClock);
    let stampUs = 0;
    let journaledUs = 0;
    journal.subscribe((e) => {
      if (e.type === 'agent.tool_call' && !journaledUs) {
        journaledUs = nowUs();
        stampUs = Number(String(e.toolId).slice('toolu_'.length));
      }
    });
    let pgid = 0;
    const result = await runAgent({
      agent: 'claude',
      assignmentId: 'bench',
      run: `r${i}`,
      adapter: getAdapter('claude'),
      command: { file: process.execPath, args: [path.join(here, 'emitter.mjs'), command], env: {} },
      agentArgv: ['emitter'],
      env: { PATH: process.env.PATH ?? '' },
      cwd: dir,
      prompt: '',
      paths: {
        dir: path.join(dir, `r${i}`),
        command: path.join(dir, `r${i}`, 'command.json'),
        prompt: path.join(dir, `r${i}`, 'prompt.md'),
        stdout: path.join(dir, `r${i}`, 'stdout.jsonl'),
        stderr: path.join(dir, `r${i}`, 'stderr.log'),
      },
      journal,
      clock: systemClock,
      policies: [stopOnShell(policy)],
      timeoutMs: 20_000,
      stallMs: 0,
      killGraceMs: 1000,
      signal: new AbortController().signal,
      onStart: (pid) => (pgid = pid),
    });
    const goneUs = nowUs();
    if (result.status !== 'stopped_by_safety') throw new Error(`run ${i}: expected a stop, got ${result.status}`);
    if (groupAlive(pgid)) throw new Error(`run ${i}: group ${pgid} still alive`);
    journal.close();
    journalUs.push(journaledUs - stampUs);
    stopUs.push(goneUs - stampUs);
  }
  rmSync(dir, { recursive: true, force: true });
  return { benchmark: 'reaction', runs, command, journaledMs: pct(journalUs), groupGoneMs: pct(stopUs) };
}

function pct(values) {
  const s = [...values].sort((a, b) => a - b);
  const at = (p) => Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] / 10) / 100;
  return { p50: at(50), p99: at(99), max: at(100) };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await runReaction()));
