import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Io } from '../../../src/cli/io.js';
import { registerReplayCommand } from '../../../src/cli/commands/replay.js';
import { EXIT, UsageError, type ExitCode } from '../../../src/errors.js';

const journals = path.join(path.dirname(fileURLToPath(import.meta.url)), 'journals');
const ID = '20261121-120000-abcd';
let root: string;
let sessionDir: string;

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'replay-cmd-'));
  sessionDir = path.join(root, '.orchestrate', 'sessions', ID);
  mkdirSync(sessionDir, { recursive: true });
  writeFileSync(path.join(sessionDir, 'session.json'), '{}');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const useJournal = (name: string): void => copyFileSync(path.join(journals, name), path.join(sessionDir, 'events.jsonl'));

/** Runs `orchestrate replay …` through commander, as the program registers it. */
async function replay(...args: string[]): Promise<{ code: ExitCode; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  // synchronous sinks: what was written is there as soon as the command returns
  const sink = (add: (s: string) => void) => ({ isTTY: false, write: (s: string) => (add(s), true) }) as unknown as NodeJS.WriteStream;
  const io: Io = { stdout: sink((s) => (stdout += s)), stderr: sink((s) => (stderr += s)), env: {}, cwd: root };
  let code: ExitCode = EXIT.OK;
  const program = new Command('orchestrate').exitOverride();
  registerReplayCommand(program, io, (c) => (code = c));
  await program.parseAsync(['replay', ...args], { from: 'user' });
  return { code, stdout, stderr };
}

describe('orchestrate replay', () => {
  it('prints the counts and exits 0 when the journal agrees with the rules', async () => {
    useJournal('matching.jsonl');
    expect(await replay('last')).toEqual({ code: EXIT.OK, stdout: `replay ${ID}: 7 triggers, 4 decisions, 0 differences\n`, stderr: '' });
  });

  it('prints each difference and exits 9 for a hand-edited verdict', async () => {
    useJournal('verdict-edited.jsonl');
    const r = await replay('20261121');
    expect(r.code).toBe(9);
    expect(r.stdout).toBe(
      `replay ${ID}: 7 triggers, 4 decisions, 1 difference\n` +
        '  seq 13, review 1: review.decision for review 1 differs: expected {"assignment":"1-design-gemini","rule":1,"decision":"escalate"}, journal has {"assignment":"1-design-gemini","rule":4,"decision":"continue"}\n',
    );
  });

  it('--json prints one machine-readable report; a session directory path works', async () => {
    useJournal('verdict-edited.jsonl');
    const r = await replay(sessionDir, '--json');
    expect(r.code).toBe(9);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ id: ID, dir: sessionDir, entries: 37, triggers: 7, decisions: 4, exitCode: 9 });
    expect(report.differences).toHaveLength(1);
  });

  it('replays the whole entries of a journal with a torn last line, and says so', async () => {
    useJournal('matching.jsonl');
    appendFileSync(path.join(sessionDir, 'events.jsonl'), '{"seq":38,"type":"review.req');
    const r = await replay('last');
    expect(r.code).toBe(EXIT.OK);
    expect(r.stderr).toContain('line 38 is torn');
    expect(r.stdout).toContain('0 differences');
  });

  it('is a usage error for an unknown session or a session without a journal', async () => {
    await expect(replay('nope')).rejects.toThrow(UsageError);
    await expect(replay('last')).rejects.toThrow(`no journal in ${sessionDir}`);
  });

  it('is a usage error for a journal damaged in the middle', async () => {
    writeFileSync(path.join(sessionDir, 'events.jsonl'), '{"seq":1,"type":"session.started"}\nnot json\n{"seq":3,"type":"x"}\n');
    await expect(replay('last')).rejects.toThrow(/cannot replay .*line 2 is not valid JSON/);
  });
});
