import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ORCHESTRATE_BIN, OrchestrateHarness } from '../helpers/orchestrate-harness.js';

// Issue 5: each recorded failure gets its handling once, through the orchestrate CLI against the
// simulated agents. Each test checks the journal's recovery.* entries and the exit code, and that
// no process it started is left alive (the harness also replays every session at cleanup).
const TASK = 'Add a --json flag to the report command';
let h: OrchestrateHarness;
/** Reviews off: a reviewer would play the same scenario and take a run of it. */
const NO_REVIEW = { review: { enabled: false } };
afterEach(async () => h?.cleanup());

type Entry = Record<string, any> & { seq: number; type: string; agent?: string };

const of = (type: string): Entry[] => h.journal().filter((e) => e.type === type);
const recoveries = (): Entry[] =>
  h.journal().filter((e) => e.type.startsWith('recovery.') && e.type !== 'recovery.prepared' && e.type !== 'recovery.diagnosis');
/** The argv of each launch of a simulated CLI (not the availability probes). */
const argvs = (cli: 'claude' | 'codex' | 'gemini'): string[][] =>
  h
    .fakeLog(cli)
    .filter((r) => r.kind === 'argv' && !(r.argv as string[]).includes('--version'))
    .map((r) => r.argv as string[]);
const assignment = (id: string): Record<string, any> => h.json('summary.json').assignments.find((a: { id: string }) => a.id === id);
/** The value following `flag` in an argv. */
const after = (argv: string[], flag: string): string | undefined => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : undefined);

describe('recovery through the orchestrate CLI', () => {
  it('prepared away: codex outside a git repo gets --skip-git-repo-check, gemini with the default trust --skip-trust', async () => {
    h = new OrchestrateHarness({ agents: ['gemini', 'codex'], config: NO_REVIEW }); // the target is not a git repository
    const exit = await h.run(['--agents', 'gemini,codex', TASK]);
    expect(exit.code, exit.stderr).toBe(0);
    const prepared = of('recovery.prepared');
    expect(prepared).toContainEqual(expect.objectContaining({ agent: 'codex', id: 'codex.outside-git-repo' }));
    expect(prepared).toContainEqual(expect.objectContaining({ agent: 'gemini', id: 'gemini.untrusted-folder' }));
    expect(argvs('codex').length).toBeGreaterThan(0);
    for (const argv of argvs('codex')) expect(argv).toContain('--skip-git-repo-check');
    expect(argvs('gemini').length).toBeGreaterThan(0);
    for (const argv of argvs('gemini')) expect(argv).toContain('--skip-trust');
    // nothing failed, so nothing was recovered
    expect(recoveries()).toEqual([]);
    expect(of('recovery.diagnosis')).toEqual([]);
    expect(await h.waitNoProcesses()).toEqual([]);
  });

  // claude's equivalent (claude.path-outside-workdirs, `--add-dir`) cannot show here: as root
  // orchestrate gives claude either bypass (sandboxed) or `--allowedTools … Write …` (unsandboxed),
  // and both let the Write through; gemini refuses it in every mode, so gemini replays the case.
  it('recovered: a write outside the working dirs into an allowed root is relaunched with the dir added, resuming, and lands', async () => {
    h = new OrchestrateHarness({ agents: ['gemini'], scenarios: { gemini: 'recovery-gemini-write-outside' }, config: NO_REVIEW });
    const outside = path.join(h.root, 'outside');
    mkdirSync(outside); // the sandbox binds only allowWrite roots that exist
    const config = JSON.parse(readFileSync(h.configFile, 'utf8'));
    config.sandbox.allowWrite.push(outside);
    writeFileSync(h.configFile, JSON.stringify(config));
    const exit = await h.run(['--agents', 'gemini', TASK]);
    expect(exit.code, exit.stderr).toBe(0);

    const relaunch = of('recovery.relaunch');
    // each of the three assignments (solo tier) starts without the dir and is relaunched once
    expect(relaunch.map((e) => e['assignment'])).toEqual(['1-design-gemini', '2-implementation-gemini', '3-validation-gemini']);
    const first = relaunch[0] as Entry;
    expect(first).toMatchObject({ agent: 'gemini', cause: 'gemini.path-outside-workspace', attempt: 1, delayMs: 0 });
    expect(first['flagDiff']).toContain(`+ --include-directories ${outside}`);
    // it resumes the session the first run started
    const sessionId = h.journal().find((e) => e.type === 'agent.session' && e.agent === 'gemini')?.['sessionId'];
    expect(typeof sessionId).toBe('string');
    expect(first['resumeSessionId']).toBe(sessionId);
    const [firstArgv, secondArgv] = argvs('gemini') as [string[], string[]];
    expect(firstArgv).not.toContain('--include-directories');
    expect(firstArgv).not.toContain('--resume');
    expect(after(secondArgv, '--resume')).toBe(sessionId);
    expect(after(secondArgv, '--include-directories')).toBe(outside);
    const command = readFileSync(path.join(h.sessionDir(), 'agents', 'gemini', '1-design-gemini.2', 'command.json'), 'utf8');
    expect(command).toContain(sessionId);
    expect(readFileSync(path.join(outside, 'gemini.txt'), 'utf8')).toBe('hello\n');
    expect(h.json('summary.json').assignments.map((a: { status: string }) => a.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(of('recovery.escalated')).toEqual([]);
    expect(await h.waitNoProcesses()).toEqual([]);
  });

  it('escalated headless: a write outside the allowed roots ends with exit 8, a blocker and the re-run command', async () => {
    h = new OrchestrateHarness({ agents: ['gemini'], scenarios: { gemini: 'recovery-gemini-write-outside' }, config: NO_REVIEW });
    const exit = await h.run(['--agents', 'gemini', TASK]);
    expect(exit.code, exit.stderr).toBe(8);
    const outside = path.join(h.root, 'outside');
    expect(existsSync(path.join(outside, 'gemini.txt'))).toBe(false);
    expect(of('recovery.relaunch')).toEqual([]);
    // orchestrate's hook refuses the write before gemini's own workspace check (issue 12); same escalation.
    expect(of('recovery.escalated')[0]).toMatchObject({ agent: 'gemini', cause: 'gemini.hook-write-outside', offer: { addDir: outside } });
    const summary = h.json('summary.json');
    expect(summary.exitCode).toBe(8);
    expect(summary.blockers).toHaveLength(1);
    expect(summary.blockers[0]).toMatchObject({ agent: 'gemini', cause: 'gemini.hook-write-outside' });
    expect(summary.blockers[0].blocker).toContain(`add "${outside}" to sandbox.allowWrite in ${h.configFile}`);
    expect(summary.blockers[0].rerun).toMatch(/orchestrate .*--config/);
    expect(summary.blockers[0].rerun).toContain(h.configFile);
    expect(assignment('1-design-gemini').status).toBe('escalated');
    expect(await h.waitNoProcesses()).toEqual([]);
  });

  it('escalated headless: gemini with --no-trust is refused the folder; the re-run command drops --no-trust', async () => {
    h = new OrchestrateHarness({ agents: ['gemini'], config: NO_REVIEW });
    const exit = await h.run(['--agents', 'gemini', '--no-trust', TASK]);
    expect(exit.code, exit.stderr).toBe(8);
    expect(argvs('gemini')[0]).not.toContain('--skip-trust');
    expect(of('recovery.escalated')[0]).toMatchObject({ agent: 'gemini', cause: 'gemini.untrusted-folder', offer: { trust: true } });
    const blocker = h.json('summary.json').blockers[0];
    expect(blocker).toMatchObject({ agent: 'gemini', cause: 'gemini.untrusted-folder' });
    expect(blocker.rerun).toMatch(/orchestrate /);
    expect(blocker.rerun).toContain(TASK.split(' ')[0]);
    expect(blocker.rerun).not.toContain('--no-trust');
    expect(of('recovery.relaunch')).toEqual([]);
    expect(of('recovery.fallback')).toEqual([]);
    expect(await h.waitNoProcesses()).toEqual([]);
  });

  it('a task read from stdin: the re-run command reads it from the session, and that command works', { timeout: 180_000 }, async () => {
    h = new OrchestrateHarness({ agents: ['gemini'], config: NO_REVIEW });
    const exit = await h.run(['--agents', 'gemini', '--no-trust', '-'], {}, { stdin: `${TASK}\n` });
    expect(exit.code, exit.stderr).toBe(8);
    const saved = path.join(h.sessionDir(), 'task.md');
    expect(readFileSync(saved, 'utf8')).toBe(`${TASK}\n`);
    const rerun: string = h.json('summary.json').blockers[0].rerun;
    expect(rerun).toContain(`--task-file ${saved}`);
    expect(rerun.split(' ')).not.toContain('-');
    // the command as a person would paste it (`orchestrate` on PATH), stdin closed: a second session, same task
    writeFileSync(
      path.join(h.binDir, 'orchestrate'),
      `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(ORCHESTRATE_BIN)} "$@"\n`,
      { mode: 0o755 },
    );
    const first = h.sessionDir();
    const again = spawn('/bin/sh', ['-c', rerun], { env: h.env(), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    again.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => again.once('close', resolve));
    expect(code, stderr).toBe(0);
    const second = h.sessionDirs().filter((d) => d !== first);
    expect(second).toHaveLength(1);
    expect(JSON.parse(readFileSync(path.join(second[0]!, 'session.json'), 'utf8')).task).toBe(TASK);
    expect(await h.waitNoProcesses()).toEqual([]);
  });

  it('retried: an API 500 is relaunched after the backoff, resuming, and the next run succeeds', async () => {
    h = new OrchestrateHarness({ agents: ['claude'], scenarios: { claude: 'recovery-api-500-then-success' }, config: NO_REVIEW });
    const exit = await h.run(['--agents', 'claude', TASK]);
    expect(exit.code, exit.stderr).toBe(0);
    expect(of('recovery.diagnosis')[0]).toMatchObject({ agent: 'claude', id: 'claude.api-server-error', handling: 'retried' });
    const relaunch = of('recovery.relaunch');
    expect(relaunch).toHaveLength(1);
    const sessionId = h.journal().find((e) => e.type === 'agent.session' && e.agent === 'claude')?.['sessionId'];
    expect(relaunch[0]).toMatchObject({
      agent: 'claude',
      assignment: '1-design-claude',
      cause: 'claude.api-server-error',
      attempt: 1,
      delayMs: 20,
      resumeSessionId: sessionId,
      flagDiff: [],
    });
    expect(after(argvs('claude')[1] as string[], '--resume')).toBe(sessionId);
    expect(existsSync(h.inCopy('recovered-500.txt'))).toBe(true);
    expect(assignment('1-design-claude')).toMatchObject({ status: 'succeeded', agent: 'claude' });
    expect(of('recovery.fallback')).toEqual([]);
    expect(await h.waitNoProcesses()).toEqual([]);
  });

  it('parked: an API 429 parks without spending an attempt (three in a row, more than maxAttempts), then goes on', async () => {
    h = new OrchestrateHarness({ agents: ['claude'], scenarios: { claude: 'recovery-api-429-then-success' }, config: NO_REVIEW });
    const exit = await h.run(['--agents', 'claude', TASK]);
    expect(exit.code, exit.stderr).toBe(0);
    const parked = of('recovery.parked');
    expect(parked).toHaveLength(3);
    for (const p of parked)
      expect(p).toMatchObject({ agent: 'claude', assignment: '1-design-claude', cause: 'claude.api-rate-limit', handOff: [] });
    expect(of('recovery.relaunch')).toEqual([]);
    expect(of('recovery.fallback')).toEqual([]);
    expect(of('recovery.gave_up')).toEqual([]);
    // each park resumed the rate-limited session
    const launches = argvs('claude');
    expect(launches.slice(1, 4).every((argv) => argv.includes('--resume'))).toBe(true);
    expect(existsSync(h.inCopy('recovered-429.txt'))).toBe(true);
    expect(assignment('1-design-claude')).toMatchObject({ status: 'succeeded', agent: 'claude' });
    expect(await h.waitNoProcesses()).toEqual([]);
  });

  it('handed to the next agent: gemini without credentials falls back to claude, and the summary says so', async () => {
    h = new OrchestrateHarness({ scenarios: { gemini: 'recovery-gemini-auth' }, config: NO_REVIEW });
    const exit = await h.run([TASK]);
    expect(exit.code, exit.stderr).toBe(0);
    expect(recoveries().map((e) => e.type)).toEqual(['recovery.fallback']);
    expect(of('recovery.fallback')[0]).toMatchObject({ assignment: '1-design-gemini', cause: 'gemini.auth', from: 'gemini', to: 'claude' });
    expect(argvs('gemini')).toHaveLength(1);
    const design = assignment('1-design-gemini');
    expect(design).toMatchObject({ status: 'succeeded', agent: 'claude', fallbackFrom: ['gemini'] });
    expect(h.json('summary.json').notes.join('\n')).toContain('1-design-gemini was handed from gemini to claude');
    expect(existsSync(h.inCopy('docs/design.md'))).toBe(true);
    expect(await h.waitNoProcesses()).toEqual([]);
  });

  it('handed to the next agent: API 500s that outlast the retries go to the next agent', async () => {
    h = new OrchestrateHarness({ scenarios: { gemini: 'api-error-500' }, config: NO_REVIEW });
    const exit = await h.run([TASK]);
    expect(exit.code, exit.stderr).toBe(0);
    expect(recoveries().map((e) => `${e.type} ${e.cause}`)).toEqual([
      'recovery.relaunch gemini.api-server-error',
      'recovery.relaunch gemini.api-server-error',
      'recovery.fallback gemini.api-server-error',
    ]);
    expect(of('recovery.relaunch').map((e) => e['delayMs'])).toEqual([20, 40]);
    expect(of('recovery.fallback')[0]).toMatchObject({ from: 'gemini', to: 'claude' });
    expect(argvs('gemini')).toHaveLength(3);
    expect(assignment('1-design-gemini')).toMatchObject({ status: 'succeeded', agent: 'claude', fallbackFrom: ['gemini'] });
    expect(await h.waitNoProcesses()).toEqual([]);
  });

  it('a stall is caught: relaunched once, then given up (not a success), every process stopped', async () => {
    h = new OrchestrateHarness({
      agents: ['gemini'],
      scenarios: { gemini: 'hang' },
      config: { ...NO_REVIEW, stallTimeout: '1s', killGrace: '500ms' },
    });
    const exit = await h.run(['--agents', 'gemini', TASK]);
    expect(exit.code, exit.stderr).toBe(5);
    expect(recoveries().map((e) => `${e.type} ${e.cause}`)).toEqual(['recovery.relaunch run.stalled', 'recovery.gave_up run.stalled']);
    const exited = of('agent.exited');
    expect(exited).toHaveLength(2);
    for (const e of exited) expect(e['status']).toBe('stalled');
    expect(assignment('1-design-gemini').status).not.toBe('succeeded');
    expect(h.json('summary.json')).toMatchObject({ exitCode: 5 });
    expect(await h.waitNoProcesses()).toEqual([]);
  });

  it('a false success is caught: not retried, given up when no other agent is left', async () => {
    h = new OrchestrateHarness({ agents: ['gemini'], scenarios: { gemini: 'false-success' }, config: NO_REVIEW });
    const exit = await h.run(['--agents', 'gemini', TASK]);
    expect(exit.code, exit.stderr).toBe(5);
    expect(of('agent.exited')[0]).toMatchObject({ code: 0, status: 'failed' });
    expect(recoveries().map((e) => `${e.type} ${e.cause}`)).toEqual(['recovery.gave_up run.false-success']);
    expect(assignment('1-design-gemini').status).toBe('failed');
    expect(await h.waitNoProcesses()).toEqual([]);
  });
});
