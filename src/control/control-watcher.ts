import { mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { watch, type FSWatcher } from 'chokidar';
import { writeJsonAtomic } from '../session/atomic-write.js';
import {
  CONTROL_RESULTS,
  controlRequestSchema,
  type ControlDecision,
  type ControlRequest,
  type ControlResponse,
} from './control-message.js';
import { controlPaths, processedFile, requestFile, requestIdOf, responseFile, type ControlPaths } from './control-paths.js';

/** Acts on one valid request. A throw or an invalid decision becomes a `failed` response. */
export type ControlHandler = (request: ControlRequest) => Promise<ControlDecision>;

export interface ControlWatcherOptions {
  /** The session's `control/` directory (`sessionPaths(dir).controlDir`); created if missing. */
  controlDir: string;
  handler: ControlHandler;
  /** Told about every response written, valid request or not (the supervisor journals `control.result`). */
  onResponse?: (response: ControlResponse, request: ControlRequest | undefined) => void;
  /** Told about problems that are not a request's fault (a response that could not be written). */
  onError?: (error: Error) => void;
  /** Requests older than this are answered `ignored` (their requester gave up long ago). Default 60 s. */
  maxAgeMs?: number;
  /** Re-reads the directory this often, in case a watch event is lost (default 1 s; 0 = never). */
  rescanMs?: number;
  now?: () => number;
}

/**
 * The supervisor's side of `orchestrate ctl`: watches `control/requests/`, claims each request
 * exactly once (those already there at start too), validates it, hands valid ones to the handler
 * one at a time in the order they were made, and writes the answer atomically to
 * `control/responses/<id>.json`. A malformed request gets a `failed` answer naming the problem;
 * nothing a requester writes can make it throw.
 */
export class ControlWatcher {
  private readonly paths: ControlPaths;
  private readonly seen = new Set<string>();
  private readonly queue: string[] = [];
  private draining: Promise<void> | undefined;
  private watcher: FSWatcher | undefined;
  private rescanTimer: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(private readonly opts: ControlWatcherOptions) {
    this.paths = controlPaths(opts.controlDir);
  }

  /** Starts watching; resolves once the watch is in place and the requests already present are queued. */
  static async start(opts: ControlWatcherOptions): Promise<ControlWatcher> {
    const w = new ControlWatcher(opts);
    await w.open();
    return w;
  }

  private async open(): Promise<void> {
    for (const dir of [this.paths.requests, this.paths.processed, this.paths.responses]) mkdirSync(dir, { recursive: true });
    const watcher = watch(this.paths.requests, {
      ignoreInitial: true, // the scan below covers what is already there
      depth: 0,
      usePolling: false,
      atomic: false, // requests arrive by rename under a new name: report them at once
    });
    this.watcher = watcher;
    watcher.on('add', () => this.scan());
    watcher.on('error', (error) => this.opts.onError?.(error instanceof Error ? error : new Error(String(error))));
    await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
    // after `ready`, so a request written while the watch was being set up is not missed
    this.scan();
    const rescanMs = this.opts.rescanMs ?? 1000;
    if (rescanMs > 0) {
      this.rescanTimer = setInterval(() => this.scan(), rescanMs);
      this.rescanTimer.unref();
    }
  }

  /** Resolves when every request seen so far has been answered (for tests and for a clean close). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  /** Stops watching and waits for the request in hand (if any) to be answered. Requests still queued stay for a later supervisor. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.rescanTimer);
    await this.watcher?.close();
    this.queue.length = 0;
    await this.idle();
  }

  /** Queues every request file not seen before, oldest first (ids sort by time). */
  private scan(): void {
    if (this.closed) return;
    let names: string[];
    try {
      names = readdirSync(this.paths.requests);
    } catch (error) {
      this.opts.onError?.(error as Error);
      return;
    }
    const fresh = names
      .map(requestIdOf)
      .filter((id): id is string => id !== undefined && !this.seen.has(id))
      .sort();
    if (fresh.length === 0) return;
    for (const id of fresh) {
      this.seen.add(id);
      this.queue.push(id);
    }
    if (!this.draining) this.draining = this.drain();
  }

  /** Answers the queue one request at a time; a scan during the last answer is picked up by the same loop. */
  private async drain(): Promise<void> {
    await null; // so `draining` is assigned before the finally below can clear it
    try {
      for (let id = this.queue.shift(); id !== undefined && !this.closed; id = this.queue.shift()) {
        await this.handleOne(id);
      }
    } finally {
      this.draining = undefined;
    }
  }

  private async handleOne(id: string): Promise<void> {
    // Claim first: a request its requester withdrew (or another watcher took) is simply gone.
    try {
      renameSync(requestFile(this.paths, id), processedFile(this.paths, id));
    } catch {
      return;
    }
    const { request, response } = await this.answer(id);
    try {
      writeJsonAtomic(responseFile(this.paths, id), response);
    } catch (error) {
      this.opts.onError?.(new Error(`could not write control response ${id}: ${(error as Error).message}`));
      return;
    }
    this.opts.onResponse?.(response, request);
  }

  private async answer(id: string): Promise<{ request?: ControlRequest; response: ControlResponse }> {
    const respond = (action: string, agent: unknown, result: ControlResponse['result'], message: string): ControlResponse => ({
      id,
      action,
      ...(typeof agent === 'string' ? { agent } : {}),
      result,
      message,
      respondedAt: new Date(this.now()).toISOString(),
    });
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(processedFile(this.paths, id), 'utf8'));
    } catch (error) {
      return { response: respond('?', undefined, 'failed', `malformed request: ${(error as Error).message}`) };
    }
    const fields = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
    const action = typeof fields['action'] === 'string' ? fields['action'] : '?';
    const parsed = controlRequestSchema.safeParse(raw);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(request)'}: ${i.message}`).join('; ');
      return { response: respond(action, fields['agent'], 'failed', `malformed request: ${problems}`) };
    }
    const request = parsed.data;
    if (request.id !== id)
      return {
        request,
        response: respond(action, request.agent, 'failed', `malformed request: id "${request.id}" is not its file name "${id}.json"`),
      };
    const ageMs = this.now() - Date.parse(request.requestedAt);
    const maxAgeMs = this.opts.maxAgeMs ?? 60_000;
    if (ageMs > maxAgeMs)
      return {
        request,
        response: respond(
          action,
          request.agent,
          'ignored',
          `stale request: made ${Math.round(ageMs / 1000)} s ago (limit ${Math.round(maxAgeMs / 1000)} s)`,
        ),
      };
    try {
      const decision = await this.opts.handler(request);
      if (!decision || !(CONTROL_RESULTS as readonly string[]).includes(decision.result) || typeof decision.message !== 'string') {
        return {
          request,
          response: respond(
            action,
            request.agent,
            'failed',
            `internal error: the handler gave no valid decision (${JSON.stringify(decision)})`,
          ),
        };
      }
      return { request, response: respond(action, request.agent, decision.result, decision.message) };
    } catch (error) {
      return { request, response: respond(action, request.agent, 'failed', (error as Error)?.message ?? String(error)) };
    }
  }

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }
}
