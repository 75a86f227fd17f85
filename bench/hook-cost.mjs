// Hook cost per shell call with the real CLIs (offline, against the compat suite's scripted model
// server): each CLI runs 10 shell calls (`true`) three ways in the same command: no hook, a
// do-nothing hook (`exit 0`), and orchestrate's hook (the perl client asking a live decision
// point; `orchestrate` is the compiled client sessions use where a C compiler is found,
// `orchestratePerl` the perl fallback). Per call = the time from the tool call line to its result
// line on the CLI's stdout (codex: from one command's end to the next one's start).
// Reported: medians per way and what orchestrate's hook adds over the CLI alone.
// Needs the pinned CLIs (scripts/install-compat-clis.mjs); skips a CLI that is not installed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { startHookServer } from '../dist/safety/hook/hook-server.js';
import { findPerl, writeHookClient } from '../dist/safety/hook/client-script.js';
import { writeHookClientC } from '../dist/safety/hook/client-c.js';
import { compileC } from '../dist/process/compile-c.js';
import { hookCommand } from '../dist/safety/layer1/hook-command.js';
import { buildCodexHookFlags } from '../dist/safety/layer1/codex-hook-flags.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CALLS = 10;
const binDir =
  process.env.ORCHESTRATE_COMPAT_BIN ?? path.join(os.homedir(), '.cache', 'orchestrate-compat', '73335e0fba6e', 'node_modules', '.bin');

/** The compat suite's model server, transpiled on the fly (it imports node builtins only). */
async function modelServer(dir) {
  const source = readFileSync(path.join(root, 'test', 'compat', 'model-server.ts'), 'utf8');
  const out = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
  const file = path.join(dir, 'model-server.mjs');
  writeFileSync(file, out);
  return (await import(pathToFileURL(file).href)).startModelServer();
}

function launch(cli, server, scenario, dirs, hook) {
  const base = { PATH: process.env.PATH, HOME: dirs.home, TMPDIR: dirs.tmp, LANG: 'C.UTF-8' };
  switch (cli) {
    case 'claude': {
      const env = {
        ...base,
        ANTHROPIC_BASE_URL: server.baseUrl('claude', scenario),
        ANTHROPIC_API_KEY: 'sk-ant-bench',
        IS_SANDBOX: '1',
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
        DISABLE_TELEMETRY: '1',
        DISABLE_AUTOUPDATER: '1',
        DISABLE_ERROR_REPORTING: '1',
      };
      const args = [
        '-p',
        'bench',
        '--output-format',
        'stream-json',
        '--verbose',
        '--dangerously-skip-permissions',
        '--model',
        'claude-opus-5-5',
      ];
      if (hook)
        args.push(
          '--settings',
          JSON.stringify({
            disableAllHooks: false,
            hooks: { PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: hook, timeout: 60 }] }] },
          }),
          '--setting-sources',
          '',
        );
      return {
        env,
        args,
        call: (e) => e.type === 'assistant' && e.message?.content?.some((c) => c.type === 'tool_use'),
        result: (e) => e.type === 'user',
      };
    }
    case 'gemini': {
      const settings = {
        security: { auth: { selectedType: 'gemini-api-key' } },
        privacy: { usageStatisticsEnabled: false },
        telemetry: { enabled: false },
        general: { enableAutoUpdate: false, enableAutoUpdateNotification: false },
      };
      if (hook)
        Object.assign(settings, {
          hooksConfig: { enabled: true },
          hooks: {
            BeforeTool: [{ matcher: 'run_shell_command', hooks: [{ name: 'bench', type: 'command', command: hook, timeout: 60_000 }] }],
          },
        });
      mkdirSync(path.join(dirs.home, '.gemini'), { recursive: true });
      writeFileSync(path.join(dirs.home, '.gemini', 'settings.json'), JSON.stringify(settings));
      const env = {
        ...base,
        GEMINI_CLI_HOME: dirs.home,
        GOOGLE_GEMINI_BASE_URL: server.baseUrl('gemini', scenario),
        GEMINI_API_KEY: 'bench',
        GEMINI_CLI_NO_RELAUNCH: 'true',
      };
      return {
        env,
        args: ['-p', 'bench', '-o', 'stream-json', '-m', 'gemini-2.5-flash', '--skip-trust', '--yolo'],
        call: (e) => e.type === 'tool_use',
        result: (e) => e.type === 'tool_result',
      };
    }
    case 'codex': {
      const env = { ...base, CODEX_HOME: dirs.codexHome, FAKE_OPENAI_KEY: 'sk-bench' };
      const args = [
        'exec',
        '--json',
        '--skip-git-repo-check',
        '--dangerously-bypass-approvals-and-sandbox',
        '-m',
        'gpt-5.5',
        '-c',
        'model_provider=fake',
        '-c',
        `model_providers.fake={name="fake",base_url="${server.baseUrl('codex', scenario)}",env_key="FAKE_OPENAI_KEY",wire_api="responses"}`,
        '--disable',
        'plugins',
        '-c',
        'otel.metrics_exporter="none"',
      ];
      if (hook) args.push(...buildCodexHookFlags(hook, 60));
      args.push('bench');
      // codex runs the hook before it prints item.started: time from one command's end to the next
      // one's start (the model's turn on the local server, then the hook).
      return {
        env,
        args,
        calls: CALLS - 1,
        call: (e) => e.type === 'item.completed' && e.item?.type === 'command_execution',
        result: (e) => e.type === 'item.started' && e.item?.type === 'command_execution',
      };
    }
  }
}

function runOnce(cli, spec, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(binDir, cli), spec.args, { cwd, env: spec.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const intervals = [];
    let at;
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      let e;
      try {
        e = JSON.parse(line);
      } catch {
        return;
      }
      const now = performance.now();
      if (spec.call(e)) at = now;
      else if (spec.result(e) && at !== undefined) {
        intervals.push(now - at);
        at = undefined;
      }
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    const want = spec.calls ?? CALLS;
    child.on('close', (code) =>
      intervals.length === want
        ? resolve(intervals)
        : reject(new Error(`${cli}: ${intervals.length} of ${want} calls (exit ${code}): ${stderr.slice(-400)}`)),
    );
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.floor(s.length / 2)] * 10) / 10;
};

/**
 * The hook alone, as the CLIs start it (`sh -c <command>`, the call on stdin), many times and
 * interleaved so load hits every way alike: a do-nothing hook, the compiled client, the perl one.
 */
async function clientAlone(ways, samples = 150) {
  const input = JSON.stringify({
    hook_event_name: 'PreToolUse',
    tool_name: 'Bash',
    tool_input: { command: 'ls -la src' },
    cwd: '/w/p',
    tool_use_id: 't',
  });
  const per = Object.fromEntries(Object.keys(ways).map((w) => [w, []]));
  for (let i = 0; i < samples; i++) {
    for (const [way, command] of Object.entries(ways)) {
      // Asynchronous: the decision point answers from this very process.
      const t0 = performance.now();
      const status = await new Promise((resolve) => {
        const child = spawn('/bin/sh', ['-c', command], { stdio: ['pipe', 'ignore', 'ignore'] });
        child.on('close', resolve);
        child.stdin.on('error', () => undefined); // the do-nothing hook does not read its input
        child.stdin.end(input);
      });
      per[way].push(performance.now() - t0);
      if (status !== 0) throw new Error(`${way}: exit ${status}`);
    }
  }
  const m = Object.fromEntries(Object.entries(per).map(([w, xs]) => [w, median(xs)]));
  return {
    samples,
    medianMs: m,
    addedOverNoopMs: Object.fromEntries(
      Object.entries(m)
        .filter(([w]) => w !== 'noop')
        .map(([w, v]) => [w, Math.round((v - m.noop) * 10) / 10]),
    ),
  };
}

export async function runHookCost({ clis = ['claude', 'gemini', 'codex'], rounds = 2 } = {}) {
  const perl = findPerl(process.env.PATH);
  if (!perl) throw new Error('no perl: orchestrate has no fast hook client here');
  const work = mkdtempSync(path.join(os.homedir(), '.cache', 'bench-hook-'));
  const hookDir = mkdtempSync('/tmp/bench-hook-');
  const server = await modelServer(work);
  const journal = [];
  const decisions = await startHookServer({ socketPath: path.join(hookDir, 'd.sock'), journal: { append: (e) => journal.push(e) } });
  const c = writeHookClientC(hookDir);
  const programs = {
    orchestrate: compileC(c.source, c.binary, process.env.PATH) ? [c.binary] : undefined,
    orchestratePerl: [perl, writeHookClient(hookDir)],
  };
  // the same client linked statically (sessions link it dynamically): whether skipping the dynamic loader pays, hook-alone part only
  const linkedStatic = `${c.binary}-static`;
  const staticBuilt = spawnSync('cc', ['-O2', '-static', '-o', linkedStatic, c.source], { stdio: 'ignore' }).status === 0;
  const results = [];
  let alone;
  try {
    const key = decisions.register({
      agent: 'claude',
      assignment: 'bench',
      run: 'alone',
      filterContext: { cwd: '/w/p', workspaceRoots: ['/w/p'], home: work, tmpDirs: ['/tmp'] },
      writeRoots: ['/w/p'],
      tags: { agent: 'claude' },
    });
    const ways = { noop: 'exit 0' };
    for (const [way, program] of Object.entries(programs))
      if (program) ways[way] = hookCommand('claude', { program, socket: decisions.socketPath, key, dirs: [] }, 60_000);
    if (staticBuilt)
      ways.orchestrateStatic = hookCommand('claude', { program: [linkedStatic], socket: decisions.socketPath, key, dirs: [] }, 60_000);
    alone = await clientAlone(ways);
    for (const cli of clis) {
      if (!existsSync(path.join(binDir, cli))) continue;
      const cwd = path.join(work, `${cli}-work`);
      mkdirSync(cwd, { recursive: true });
      const key = decisions.register({
        agent: cli,
        assignment: 'bench',
        run: 'bench',
        filterContext: { cwd, workspaceRoots: [cwd], home: work, tmpDirs: ['/tmp'] },
        writeRoots: [cwd],
        tags: { agent: cli },
      });
      const ways = { none: undefined, noop: 'exit 0' };
      for (const [way, program] of Object.entries(programs))
        if (program) ways[way] = hookCommand(cli, { program, socket: decisions.socketPath, key, dirs: [] }, 60_000);
      const per = Object.fromEntries(Object.keys(ways).map((w) => [w, []]));
      for (let round = 0; round < rounds; round++) {
        for (const [way, hook] of Object.entries(ways)) {
          const scenario = `bench-${cli}-${way}-${round}`;
          // Distinct commands: gemini stops a run that repeats one tool call (loop detection).
          server.register(scenario, {
            turns: [...Array.from({ length: CALLS }, (_, i) => ({ shell: `echo call-${i}` })), { text: 'done' }],
          });
          const dirs = {
            home: path.join(work, `${scenario}-home`),
            tmp: path.join(work, `${scenario}-tmp`),
            codexHome: path.join(work, `${scenario}-home`, '.codex'),
          };
          for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
          per[way].push(...(await runOnce(cli, launch(cli, server, scenario, dirs, hook), cwd)));
        }
      }
      const m = Object.fromEntries(Object.entries(per).map(([w, xs]) => [w, median(xs)]));
      const best = m.orchestrate ?? m.orchestratePerl;
      results.push({
        cli,
        calls: per.none.length,
        medianMsPerCall: m,
        orchestrateAddsMs: Math.round((best - m.none) * 10) / 10,
        orchestrateOverNoopHookMs: Math.round((best - m.noop) * 10) / 10,
        // per call with orchestrate's hook / per call with no hook, measured in the same command
        ratioToNone: Math.round((best / m.none) * 100) / 100,
      });
    }
  } finally {
    await decisions.close();
    await server.close();
    rmSync(work, { recursive: true, force: true });
    rmSync(hookDir, { recursive: true, force: true });
  }
  const decided = journal.filter((e) => e.type === 'safety.command' && e.layer === 'hook').length;
  return {
    benchmark: 'hook-cost',
    decisionsJournaled: decided,
    hookAlone: alone,
    results,
    loadAverage: os.loadavg().map((l) => Math.round(l * 10) / 10),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [clis, rounds] = process.argv.slice(2);
  console.log(
    JSON.stringify(await runHookCost({ ...(clis ? { clis: clis.split(',') } : {}), ...(rounds ? { rounds: Number(rounds) } : {}) })),
  );
}
