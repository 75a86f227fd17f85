import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import { startWarnings } from '../../../src/doctor/start-warnings.js';
import type { JournalEntry } from '../../../src/session/journal-entry.js';

let home: string;
beforeEach(() => (home = mkdtempSync(path.join(os.tmpdir(), 'start-warn-'))));
afterEach(() => rmSync(home, { recursive: true, force: true }));

const SIMULATED = path.resolve(new URL('../../../fixtures/agents/claude', import.meta.url).pathname);

function warningsFor(entry: Record<string, unknown>, env: NodeJS.ProcessEnv = {}): string[] {
  const lines: string[] = [];
  startWarnings({ config: configSchema.parse({}), env: { HOME: home, ...env }, target: home, warn: (l) => lines.push(l) })(
    entry as unknown as JournalEntry,
  );
  return lines;
}

describe("the quick part of doctor at a session's start", () => {
  it('warns about an untested version and a missing login, from the probe entry (no process of its own)', () => {
    const lines = warningsFor({
      type: 'agent.probe',
      agent: 'claude',
      available: true,
      version: '2.0.14 (Claude Code)',
      resolved: '/opt/claude/bin/claude',
    });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('orchestrate: warning: claude: version 2.0.14 is older than the tested 2.1.330');
    expect(lines[0]).toContain('fix: update it: npm i -g @anthropic-ai/claude-code@2.1.330');
    expect(lines[1]).toContain('does not appear logged in');
  });

  it("says nothing for a tested, logged-in CLI, an unavailable one, or the simulated agents' login", () => {
    expect(
      warningsFor(
        { type: 'agent.probe', agent: 'claude', available: true, version: '2.1.330 (Claude Code)', resolved: '/opt/claude' },
        { ANTHROPIC_API_KEY: 'k' },
      ),
    ).toEqual([]);
    expect(warningsFor({ type: 'agent.probe', agent: 'codex', available: false, reason: 'not found' })).toEqual([]);
    expect(
      warningsFor({ type: 'agent.probe', agent: 'claude', available: true, version: '2.1.330 (Claude Code)', resolved: SIMULATED }),
    ).toEqual([]);
  });
});
