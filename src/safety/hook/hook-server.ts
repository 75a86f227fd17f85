import { chmodSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { AGENT_IDS, type AgentId } from '../../agents/agent-id.js';
import type { JournalInput } from '../../session/journal-entry.js';
import type { ConfirmAnswer, ConfirmRequest } from '../confirm/types.js';
import { decideCall, type HookRun, type HookVerdict } from './decide-call.js';
import { parseHookCall, type HookCall } from './hook-call.js';
import type { PreExecutionLedger } from './pre-execution-ledger.js';
import { ALLOW_REPLY, blockReply, HOOK_MAGIC, MAX_HOOK_INPUT, WAIT_REPLY } from './protocol.js';
import { warmFilter } from './warm-filter.js';

export interface HookServerOptions {
  /** Where to listen (at most 107 bytes: the kernel's limit for a socket path). */
  socketPath: string;
  journal: { append(input: JournalInput): unknown };
  /** Asks the session's confirm broker (a person, or `--on-confirm`); without it confirm-class calls are blocked. */
  confirm?: (request: ConfirmRequest, signal: AbortSignal) => Promise<ConfirmAnswer>;
}

export interface HookServer {
  readonly socketPath: string;
  /** How long warming the filter took at start, in ms (journaled by the caller). */
  readonly warmMs: number;
  /** Makes a run known; its hooks pass the returned key. */
  register(run: HookRun, ledger?: PreExecutionLedger): string;
  unregister(key: string): void;
  /** Answers one call as the socket would (the same journal entries): for tests and benchmarks. */
  answer(cli: AgentId, key: string, input: string, onWait?: () => void): Promise<{ allow: true } | { allow: false; reason: string }>;
  close(): Promise<void>;
}

interface Registered {
  run: HookRun;
  ledger?: PreExecutionLedger;
}

/**
 * The session's one decision point for pre-execution hooks: a Unix socket server in the
 * supervisor, with the command filter loaded and warmed before the first agent starts. Every
 * hook of every CLI asks it; every decision is journaled (`safety.command`, or `safety.violation`
 * with `layer: "hook"` when it prevents one) and told to the run's ledger, so the stream guard
 * knows which block-class commands never ran.
 */
export async function startHookServer(options: HookServerOptions): Promise<HookServer> {
  const warmMs = warmFilter();
  const runs = new Map<string, Registered>();
  const answer = async (cli: AgentId, key: string, input: string, onWait?: () => void) => {
    const reg = runs.get(key);
    if (!reg) return { allow: false as const, reason: 'orchestrate hook: this run is not known to the supervisor (blocked, fail closed)' };
    return decide(reg, cli, input, options, onWait ?? (() => undefined));
  };
  rmSync(options.socketPath, { force: true });
  // allowHalfOpen: the client ends its side after the input; the answer comes later.
  const open = new Set<Socket>();
  const server: Server = createServer({ allowHalfOpen: true }, (socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    serve(socket, answer);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.socketPath, () => resolve());
  });
  chmodSync(options.socketPath, 0o600);
  return {
    socketPath: options.socketPath,
    warmMs,
    register(run, ledger) {
      const key = randomBytes(12).toString('hex');
      runs.set(key, { run, ...(ledger ? { ledger } : {}) });
      return key;
    },
    unregister: (key) => void runs.delete(key),
    answer,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // A hook still waiting gets a reset connection, which it treats as a block.
        for (const socket of open) socket.destroy();
        rmSync(options.socketPath, { force: true });
      }),
  };
}

type Answer = (
  cli: AgentId,
  key: string,
  input: string,
  onWait?: () => void,
) => Promise<{ allow: true } | { allow: false; reason: string }>;

/** One connection: read the header and the input to EOF, answer, close. */
function serve(socket: Socket, answer: Answer): void {
  const chunks: Buffer[] = [];
  let size = 0;
  socket.on('error', () => undefined);
  socket.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_HOOK_INPUT) {
      socket.end(blockReply('orchestrate hook: the hook input is too large (blocked, fail closed)'));
      socket.destroySoon();
      return;
    }
    chunks.push(chunk);
  });
  socket.on('end', () => {
    if (size > MAX_HOOK_INPUT) return;
    const text = Buffer.concat(chunks).toString('utf8');
    const nl = text.indexOf('\n');
    const header = (nl < 0 ? text : text.slice(0, nl)).split(' ');
    const cli = header[2] as AgentId;
    if (nl < 0 || `${header[0]} ${header[1]}` !== HOOK_MAGIC || !AGENT_IDS.includes(cli) || !header[3]) {
      socket.end(blockReply('orchestrate hook: malformed request (blocked, fail closed)'));
      return;
    }
    void answer(cli, header[3], text.slice(nl + 1), () => socket.write(WAIT_REPLY)).then(
      (a) => socket.end(a.allow ? ALLOW_REPLY : blockReply(a.reason)),
      (error: Error) => socket.end(blockReply(`orchestrate hook failed closed: ${error.message}`)),
    );
  });
}

async function decide(
  reg: Registered,
  cli: AgentId,
  input: string,
  options: HookServerOptions,
  onWait: () => void,
): Promise<{ allow: true } | { allow: false; reason: string }> {
  const { run, ledger } = reg;
  let call: HookCall;
  let verdict: HookVerdict;
  try {
    call = parseHookCall(cli, input);
    verdict = decideCall(call, run);
  } catch (error) {
    const reason = `orchestrate hook: ${(error as Error).message.split('\n')[0]} (blocked, fail closed)`;
    options.journal.append({ type: 'safety.hook_error', ...run.tags, layer: 'hook', reason });
    return { allow: false, reason };
  }
  if (call.kind === 'other') return { allow: true };
  const about =
    call.kind === 'shell'
      ? { command: call.command, ...(call.cwd ? { cwd: call.cwd } : {}) }
      : { kind: 'path', path: verdict.subject, paths: call.paths };
  const base = {
    ...run.tags,
    layer: 'hook',
    tool: call.tool,
    ...(call.toolId ? { toolId: call.toolId } : {}),
    ...about,
    decision: verdict.decision,
    rule: verdict.rule,
    reason: verdict.reason,
  };
  if (verdict.decision === 'block') {
    if (call.kind === 'shell') ledger?.hookDecided(call.command, 'block');
    options.journal.append({ type: 'safety.violation', ...base, action: 'prevented before execution' });
    return { allow: false, reason: `blocked by orchestrate (${verdict.rule}): ${verdict.reason}` };
  }
  if (verdict.decision === 'allow') {
    if (call.kind === 'shell') {
      ledger?.hookDecided(call.command, 'allow');
      options.journal.append({ type: 'safety.command', ...base });
    }
    return { allow: true };
  }
  // confirm: the person at the terminal, or --on-confirm, through the session's broker.
  const command = call.kind === 'shell' ? call.command : verdict.subject;
  if (!options.confirm) {
    if (call.kind === 'shell') ledger?.hookDecided(command, 'block');
    options.journal.append({ type: 'safety.violation', ...base, action: 'prevented before execution', detail: 'no one to confirm it' });
    return {
      allow: false,
      reason: `needs a person's confirmation (${verdict.rule}: ${verdict.reason}), and this session has no one to ask: not run`,
    };
  }
  onWait();
  const request: ConfirmRequest = {
    agent: run.agent,
    assignment: run.assignment,
    command,
    rule: verdict.rule,
    reason: verdict.reason,
    cwd: call.cwd ?? run.filterContext.cwd,
  };
  const answer = await options.confirm(request, new AbortController().signal);
  const allowed = answer.answer === 'allow';
  if (call.kind === 'shell') ledger?.hookDecided(command, allowed ? 'confirm' : 'block');
  if (allowed) {
    options.journal.append({ type: 'safety.command', ...base, answer: 'allow', by: answer.by });
    return { allow: true };
  }
  options.journal.append({ type: 'safety.violation', ...base, action: 'prevented before execution', answer: 'deny', by: answer.by });
  const who =
    answer.by === 'person' ? 'the person said no' : answer.by === 'timeout' ? 'no answer in time' : 'the session policy says deny';
  return { allow: false, reason: `not confirmed (${who}): ${verdict.rule}: ${verdict.reason}` };
}
