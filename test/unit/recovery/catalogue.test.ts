import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { AgentId } from '../../../src/agents/agent-id.js';
import { getAdapter } from '../../../src/agents/registry.js';
import { CATALOGUE } from '../../../src/recovery/catalogue.js';
import { diagnose, type RunEvidence } from '../../../src/recovery/diagnose.js';

const STREAMS = fileURLToPath(new URL('../../../fixtures/streams/', import.meta.url));
const exitCodes = new Map(
  readFileSync(path.join(STREAMS, 'INDEX.tsv'), 'utf8')
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .map((l) => l.split('\t'))
    .map(([name, exit]) => [name ?? '', Number(exit)]),
);

/** A recording as orchestrate sees it: parsed events, stderr, exit code. */
function recording(name: string): RunEvidence {
  const agent = name.split('-')[0] as AgentId;
  const parser = getAdapter(agent).createParser();
  const file = path.join(STREAMS, `${name}.jsonl`);
  const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n') : [];
  const events = [...lines.flatMap((l) => parser.parseLine(l)), ...parser.flush()];
  const stderrFile = path.join(STREAMS, `${name}.stderr.txt`);
  return { events, stderr: existsSync(stderrFile) ? readFileSync(stderrFile, 'utf8') : '', exitCode: exitCodes.get(name) ?? null };
}

// `simulated:` rows are texts seen in a report, replayed by the simulated agents (tested below);
// entries from REFERENCE.md, or from orchestrate's own hook (issue 12), have no CLI recording.
const recorded = CATALOGUE.filter(
  (e) => !e.source.startsWith('REFERENCE') && !e.source.startsWith('simulated:') && !e.source.startsWith('issue'),
);

describe('the error catalogue', () => {
  it.each(recorded.map((e) => [e.id, e] as const))('%s matches the recording it came from', (_id, entry) => {
    const found = diagnose(entry.agent, recording(entry.source)).map((d) => d.entry.id);
    expect(found).toContain(entry.id);
  });

  it.each([
    'claude-ok',
    'claude-patch',
    'codex-ok',
    'codex-patch',
    'gemini-ok',
    'gemini-patch',
    'claude-resume',
    'codex-resume',
    'gemini-resume',
  ])('finds nothing wrong in the successful run %s', (name) =>
    expect(diagnose(name.split('-')[0] as AgentId, recording(name))).toEqual([]),
  );

  it('captures what a fix needs', () => {
    const outside = diagnose('claude', recording('claude-outside')).find((d) => d.entry.id === 'claude.path-outside-workdirs');
    expect(outside?.captures['path']).toBe('/home/dev/lab/outside/claude.txt');
    const gem = diagnose('gemini', recording('gemini-outside')).find((d) => d.entry.id === 'gemini.path-outside-workspace');
    expect(gem?.captures['path']).toBe('/home/dev/lab/outside/gemini.txt');
    const denied = diagnose('codex', recording('codex-deny'))[0];
    expect(denied?.captures).toEqual({ command: "/bin/bash -lc 'rm -f out.txt'", reason: 'rm is blocked by orchestrate policy' });
    expect(diagnose('claude', recording('claude-resume-badid'))[0]?.captures['id']).toBe('00000000-0000-4000-8000-000000000000');
  });

  it('tells a 500 from a 429 for every CLI', () => {
    for (const agent of ['claude', 'codex', 'gemini'] as const) {
      expect(diagnose(agent, recording(`${agent}-err500`)).map((d) => d.entry.handling)).toEqual(['retried']);
      expect(diagnose(agent, recording(`${agent}-err429`)).map((d) => d.entry.handling)).toEqual(['parked']);
    }
  });

  it('knows the environment failures of issue 14 by their exact texts, in tool output and on stderr', () => {
    const tool = (output: string): RunEvidence => ({ events: [{ type: 'agent.tool_result', ok: false, output }], stderr: '', exitCode: 0 });
    for (const agent of ['claude', 'codex', 'gemini'] as const) {
      const erofs = diagnose(agent, tool("EROFS: read-only file system, open '/t/src/format-json.js'"));
      expect(erofs.map((d) => [d.entry.id, d.captures['path']])).toEqual([[`${agent}.file-write-refused`, '/t/src/format-json.js']]);
      const bwrap = diagnose(agent, tool('bwrap: execvp codex-linux-sandbox: No such file or directory\n'));
      expect(bwrap.map((d) => d.entry.id)).toEqual([`${agent}.sandbox-start-failed`]);
      const crash = diagnose(agent, {
        events: [],
        stderr: "Error: EROFS: read-only file system, open '/h/.claude.json'\n    at x\n\nNode.js v20.20.2\n",
        exitCode: 1,
      });
      expect(crash.map((d) => d.entry.id)).toEqual([`${agent}.crash-file-refused`]);
    }
    // an ordinary failing command is not an environment failure
    expect(diagnose('codex', tool('ls: cannot access /nope: No such file or directory'))).toEqual([]);
  });

  it('has unique ids and covers every row of REFERENCE.md §6', () => {
    expect(new Set(CATALOGUE.map((e) => e.id)).size).toBe(CATALOGUE.length);
    expect(CATALOGUE.length).toBeGreaterThanOrEqual(20);
  });
});
