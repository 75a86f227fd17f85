import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { constants } from 'node:os';
import { compileCAsync } from './compile-c.js';
import { writeSpawnServiceC } from './spawn-service-c.js';

/** One command for the service: what execFile would be given. */
export interface ServiceCommand {
  file: string;
  args: readonly string[];
  cwd: string;
  env: Record<string, string>;
  /** stdin bytes; none = an empty stdin closed at once. */
  input?: Buffer | string;
  /** 0 = none. At the timeout the command's process group gets SIGTERM (SIGKILL 2 s later). */
  timeoutMs: number;
  /** Bound of each output; past it the output is cut there and the group stopped. */
  maxBuffer: number;
}

/** How a command ended, with both outputs. */
export interface ServiceResult {
  /** Exit code; null when a signal ended it or it did not start. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: Buffer;
  timedOut: boolean;
  /** The output that passed maxBuffer. */
  overflow?: 'stdout' | 'stderr';
  /** It did not start: the errno's name (ENOENT: no such program or cwd). */
  spawnError?: string;
  /** The service ended before the command did (whether and how far it ran is unknown). */
  lost?: string;
}

interface Pending {
  resolve: (r: ServiceResult) => void;
  stdout: Buffer[];
  stderr: Buffer[];
}

const FRAME_LIMIT = 512 * 1024 * 1024; // the C side's MAX_FRAME
const SIGNALS = new Map(Object.entries(constants.signals).map(([name, n]) => [n, name as NodeJS.Signals]));
const ERRNOS = new Map(Object.entries(constants.errno).map(([name, n]) => [n, name]));

/**
 * The client of the spawn service (spawn-service-c.ts has the protocol): requests multiplexed by
 * id over its stdin, replies read from its stdout. Node spawns once per session; each command
 * after that costs orchestrate one pipe write and a few reads.
 */
export class SpawnService {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** Commands it answered (tests check it was really used). */
  served = 0;
  private buffered: Buffer = Buffer.alloc(0);
  private ended: string | undefined;
  private closing = false;
  private readonly exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    private readonly onLost?: (why: string) => void,
  ) {
    // 'close', not 'exit': the replies it wrote before exiting are read first
    this.exited = new Promise((resolve) => child.once('close', (code, signal) => (this.lose(`exited (${signal ?? code})`), resolve())));
    child.once('error', (e) => this.lose(`failed: ${e.message}`));
    child.stdin?.on('error', () => undefined); // its exit is what counts (above)
    child.stdout?.on('data', (d: Buffer) => this.onData(d));
    this.hold(false);
  }

  /**
   * Writes the service's source into `dir` (created 0700: the binary must be orchestrate's own,
   * agents must not replace it), compiles and starts it. Undefined when it cannot be built here
   * (no compiler, glibc before 2.29): callers then spawn from Node as before. `onLost`: it ended
   * on its own (not through close).
   */
  static async start(
    dir: string,
    pathEnv: string | undefined,
    compile: typeof compileCAsync = compileCAsync,
    onLost?: (why: string) => void,
  ): Promise<SpawnService | undefined> {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const c = writeSpawnServiceC(dir);
    if (!(await compile(c.source, c.binary, pathEnv))) return undefined;
    const child = spawn(c.binary, [], { stdio: ['pipe', 'pipe', 'ignore'], env: {} });
    if (child.pid !== undefined) return new SpawnService(child, onLost);
    child.on('error', () => undefined); // did not start: Node's spawn stays in use
    return undefined;
  }

  /** The service's process id (the scale bench counts its CPU as orchestrate's). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** False once it exited or was closed: requests then go back to Node's spawn. */
  get alive(): boolean {
    return this.ended === undefined;
  }

  /** False for what only Node's spawn can do as execFile would (a NUL in a string, a request over the frame limit). */
  accepts(cmd: ServiceCommand): boolean {
    const strings = [cmd.file, cmd.cwd, ...cmd.args, ...Object.entries(cmd.env).map(([k, v]) => `${k}=${v}`)];
    const size = strings.reduce((n, s) => n + Buffer.byteLength(s) + 1, 28) + (cmd.input ? Buffer.byteLength(cmd.input) : 0);
    return this.alive && size < FRAME_LIMIT && !strings.some((s) => s.includes('\0'));
  }

  /** Runs one command; never rejects (a lost service resolves with `lost`). */
  run(cmd: ServiceCommand): Promise<ServiceResult> {
    const id = this.nextId++;
    const strings = [cmd.cwd, cmd.file, ...cmd.args, ...Object.entries(cmd.env).map(([k, v]) => `${k}=${v}`)];
    const input = cmd.input === undefined ? Buffer.alloc(0) : Buffer.from(cmd.input);
    const body = Buffer.from(`${strings.join('\0')}\0`);
    const head = Buffer.alloc(28);
    head.writeUInt32LE(24 + body.length + input.length, 0);
    head.writeUInt32LE(id, 4);
    head.writeUInt32LE(Math.max(0, Math.min(cmd.timeoutMs, 0xffffffff)), 8);
    head.writeUInt32LE(Math.max(0, Math.min(cmd.maxBuffer, 0xffffffff)), 12);
    head.writeUInt32LE(1 + cmd.args.length, 16);
    head.writeUInt32LE(strings.length - 2 - cmd.args.length, 20);
    head.writeUInt32LE(input.length, 24);
    return new Promise((resolve) => {
      if (this.ended !== undefined) return resolve(lostResult(this.ended));
      this.pending.set(id, { resolve, stdout: [], stderr: [] });
      if (this.pending.size === 1) this.hold(true);
      this.child.stdin?.write(input.length ? Buffer.concat([head, body, input]) : Buffer.concat([head, body]));
    });
  }

  /** Ends the service (stdin EOF: it stops what still runs and exits) and waits until it is reaped. */
  async close(): Promise<void> {
    this.closing = true;
    this.hold(true);
    this.child.stdin?.end();
    await this.exited;
  }

  /** Kills the service at once (tests; a service that stopped answering). */
  kill(): void {
    this.child.kill('SIGKILL');
  }

  /** While a request is pending the service keeps orchestrate alive; otherwise it does not. */
  private hold(on: boolean): void {
    const out = this.child.stdout as (NodeJS.ReadableStream & { ref?(): void; unref?(): void }) | null;
    if (on) {
      this.child.ref();
      out?.ref?.();
    } else {
      this.child.unref();
      out?.unref?.();
    }
  }

  private onData(data: Buffer): void {
    let buf = this.buffered.length ? Buffer.concat([this.buffered, data]) : data;
    while (buf.length >= 4) {
      const len = buf.readUInt32LE(0);
      if (len < 5 || len > 65536 + 5) return this.broken(`sent a frame of ${len} bytes`);
      if (buf.length < 4 + len) break;
      this.onFrame(buf.readUInt32LE(4), buf[8] ?? 0, buf.subarray(9, 4 + len));
      buf = buf.subarray(4 + len);
    }
    this.buffered = buf.length ? Buffer.from(buf) : Buffer.alloc(0);
  }

  private onFrame(id: number, type: number, payload: Buffer): void {
    const p = this.pending.get(id);
    if (!p) return this.broken(`answered request ${id}, which is not pending`);
    if (type === 1) p.stdout.push(Buffer.from(payload));
    else if (type === 2) p.stderr.push(Buffer.from(payload));
    else if ((type === 3 && payload.length === 12) || (type === 4 && payload.length === 4)) {
      this.pending.delete(id);
      this.served++;
      if (this.pending.size === 0 && !this.closing) this.hold(false);
      p.resolve(type === 3 ? ended(p, payload) : notStarted(payload.readInt32LE(0)));
    } else this.broken(`sent a frame of type ${type}`);
  }

  private broken(why: string): void {
    this.lose(`broke the protocol: it ${why}`);
    this.kill();
  }

  /** Fails every pending request (we cannot know whether or how far each ran) and retires the service. */
  private lose(why: string): void {
    if (this.ended !== undefined) return;
    this.ended = why;
    if (current === this) current = undefined;
    for (const p of this.pending.values())
      p.resolve({ ...lostResult(why), stdout: Buffer.concat(p.stdout), stderr: Buffer.concat(p.stderr) });
    this.pending.clear();
    this.hold(false);
    if (!this.closing) this.onLost?.(why);
  }
}

function ended(p: Pending, payload: Buffer): ServiceResult {
  const code = payload.readInt32LE(0);
  const signal = payload.readInt32LE(4);
  const flags = payload.readUInt32LE(8);
  return {
    code: code < 0 ? null : code,
    signal: signal ? (SIGNALS.get(signal) ?? null) : null,
    stdout: Buffer.concat(p.stdout),
    stderr: Buffer.concat(p.stderr),
    timedOut: (flags & 1) !== 0,
    ...(flags & 2 ? { overflow: 'stdout' as const } : flags & 4 ? { overflow: 'stderr' as const } : {}),
  };
}

function notStarted(errno: number): ServiceResult {
  const spawnError = ERRNOS.get(errno) ?? `errno ${errno}`;
  return { code: null, signal: null, stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), timedOut: false, spawnError };
}

function lostResult(why: string): ServiceResult {
  return { code: null, signal: null, stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), timedOut: false, lost: `the spawn service ${why}` };
}

let current: SpawnService | undefined;

/**
 * The service the session started, for safe-git: module-level rather than passed down, since
 * git runs from copy/ (PrivateRepo, create-copy) several calls below the session, and a lost or
 * closed service simply leaves Node's spawn in use. Returns a function that clears it again.
 */
export function useSpawnService(service: SpawnService): () => void {
  current = service;
  return () => {
    if (current === service) current = undefined;
  };
}

/** The live service, if the session started one. */
export function currentSpawnService(): SpawnService | undefined {
  return current?.alive ? current : undefined;
}
