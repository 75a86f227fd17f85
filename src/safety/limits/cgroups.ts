import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { killPid, pidAlive } from '../../process/kill-group.js';
import { HeldFile } from './held-file.js';

/** How this machine lets orchestrate bound an agent's processes, memory and CPU. */
export type CgroupSupport =
  | { kind: 'cgroup2'; parent: string }
  | { kind: 'cgroup1'; parents: { pids: string; memory: string; cpu?: string } }
  | { kind: 'none'; reason: string };

/** The figures one agent's cgroup is created with. */
export interface CgroupLimits {
  pidsMax: number;
  memoryBytes: number;
  /** Percent of one core; undefined = no CPU bound. */
  cpuPercent?: number;
}

/** Counters of one cgroup: how often a limit was hit, and the current figures. */
export interface CgroupCounters {
  pidsMaxHits: number;
  pids: number;
  oomKills: number;
  memoryBytes: number;
}

const FS = '/sys/fs/cgroup';

/**
 * Finds a cgroup hierarchy orchestrate may create children in (as root, or in a delegated
 * subtree), by really creating and removing one. cgroup v2 needs pids and memory enabled for
 * children of orchestrate's own cgroup; v1 (hybrid hosts) needs the pids and memory hierarchies.
 */
export function detectCgroups(fsRoot: string = FS, selfCgroup: string = readSelf()): CgroupSupport {
  const v2Path = ownPath(selfCgroup, '');
  if (existsSync(path.join(fsRoot, 'cgroup.controllers')) && v2Path !== undefined) {
    const parent = path.resolve(fsRoot, `.${v2Path}`);
    const controllers = read(path.join(parent, 'cgroup.controllers')).split(/\s+/);
    if (!controllers.includes('pids') || !controllers.includes('memory'))
      return { kind: 'none', reason: `cgroup v2 at ${parent} does not offer the pids and memory controllers` };
    try {
      writeFileSync(path.join(parent, 'cgroup.subtree_control'), `+pids +memory${controllers.includes('cpu') ? ' +cpu' : ''}`);
      probe(parent);
      return { kind: 'cgroup2', parent };
    } catch (error) {
      return { kind: 'none', reason: `cannot create cgroups under ${parent}: ${(error as Error).message.split('\n')[0]}` };
    }
  }
  const pids = ownPath(selfCgroup, 'pids');
  const memory = ownPath(selfCgroup, 'memory');
  const cpu = ownPath(selfCgroup, 'cpu');
  if (pids === undefined || memory === undefined || !existsSync(path.join(fsRoot, 'pids')) || !existsSync(path.join(fsRoot, 'memory'))) {
    return { kind: 'none', reason: 'no cgroup v2 with controllers and no cgroup v1 pids and memory hierarchies' };
  }
  const parents = {
    pids: path.resolve(fsRoot, 'pids', `.${pids}`),
    memory: path.resolve(fsRoot, 'memory', `.${memory}`),
    ...(cpu !== undefined && existsSync(path.join(fsRoot, 'cpu')) ? { cpu: path.resolve(fsRoot, 'cpu', `.${cpu}`) } : {}),
  };
  try {
    for (const p of Object.values(parents)) probe(p);
    return { kind: 'cgroup1', parents };
  } catch (error) {
    return { kind: 'none', reason: `cannot create cgroups: ${(error as Error).message.split('\n')[0]}` };
  }
}

/** One run's cgroup (one directory per hierarchy). */
export class AgentCgroup {
  /** The event files `hits` reads every poll, opened once. */
  private events: { pids: HeldFile; memory: HeldFile } | undefined;

  private constructor(
    private readonly support: Exclude<CgroupSupport, { kind: 'none' }>,
    readonly dirs: string[],
  ) {}

  /** Creates `name` with the limits; throws when the kernel refuses. */
  static create(support: Exclude<CgroupSupport, { kind: 'none' }>, name: string, limits: CgroupLimits): AgentCgroup {
    if (support.kind === 'cgroup2') {
      const dir = path.join(support.parent, name);
      mkdirSync(dir);
      writeFileSync(path.join(dir, 'pids.max'), String(limits.pidsMax));
      writeFileSync(path.join(dir, 'memory.max'), String(limits.memoryBytes));
      // no swap: a tmpfs filler must hit the limit, not push the host into swap
      if (existsSync(path.join(dir, 'memory.swap.max'))) writeFileSync(path.join(dir, 'memory.swap.max'), '0');
      if (limits.cpuPercent !== undefined && existsSync(path.join(dir, 'cpu.max')))
        writeFileSync(path.join(dir, 'cpu.max'), `${Math.round(limits.cpuPercent * 1000)} 100000`);
      return new AgentCgroup(support, [dir]);
    }
    const pids = path.join(support.parents.pids, name);
    const memory = path.join(support.parents.memory, name);
    const dirs = [pids, memory];
    mkdirSync(pids);
    mkdirSync(memory);
    writeFileSync(path.join(pids, 'pids.max'), String(limits.pidsMax));
    writeFileSync(path.join(memory, 'memory.limit_in_bytes'), String(limits.memoryBytes));
    // no swap either (memsw = memory + swap), where the kernel accounts it
    if (existsSync(path.join(memory, 'memory.memsw.limit_in_bytes')))
      writeFileSync(path.join(memory, 'memory.memsw.limit_in_bytes'), String(limits.memoryBytes));
    if (limits.cpuPercent !== undefined && support.parents.cpu) {
      const cpu = path.join(support.parents.cpu, name);
      mkdirSync(cpu);
      writeFileSync(path.join(cpu, 'cpu.cfs_period_us'), '100000');
      writeFileSync(path.join(cpu, 'cpu.cfs_quota_us'), String(Math.round(limits.cpuPercent * 1000)));
      dirs.push(cpu);
    }
    return new AgentCgroup(support, dirs);
  }

  /** The files a process writes its pid to, to join (and take its future children along). */
  procsFiles(): string[] {
    return this.dirs.map((d) => path.join(d, 'cgroup.procs'));
  }

  /**
   * The processes in the cgroup now (`cgroup.procs` of the first hierarchy: v2's only one, v1's
   * pids), in this process's pid namespace; undefined when it cannot be read. Opened afresh each
   * time: v1 may serve a descriptor held open a list it built earlier.
   */
  members(): number[] | undefined {
    let text: string;
    try {
      text = readFileSync(path.join(this.dirs[0]!, 'cgroup.procs'), 'latin1');
    } catch {
      return undefined;
    }
    const pids: number[] = [];
    for (const word of text.split('\n')) if (word !== '') pids.push(Number(word));
    return pids;
  }

  /** How often pids.max refused a fork and the OOM killer ran: the two event files only (read every poll, kept open). */
  hits(): Pick<CgroupCounters, 'pidsMaxHits' | 'oomKills'> {
    this.events ??= { pids: new HeldFile(path.join(this.dirs[0]!, 'pids.events')), memory: new HeldFile(this.memoryEventsFile()) };
    return {
      pidsMaxHits: field(this.events.pids.read() ?? '', 'max'),
      oomKills: field(this.events.memory.read() ?? '', 'oom_kill'),
    };
  }

  private memoryEventsFile(): string {
    return this.support.kind === 'cgroup2' ? path.join(this.dirs[0]!, 'memory.events') : path.join(this.dirs[1]!, 'memory.oom_control');
  }

  counters(): CgroupCounters {
    const [first, second] = this.dirs as [string, string | undefined];
    const pidsDir = first;
    const memDir = this.support.kind === 'cgroup2' ? first : second!;
    const memEvents =
      this.support.kind === 'cgroup2' ? read(path.join(memDir, 'memory.events')) : read(path.join(memDir, 'memory.oom_control'));
    return {
      pidsMaxHits: field(read(path.join(pidsDir, 'pids.events')), 'max'),
      pids: Number(read(path.join(pidsDir, 'pids.current')).trim()) || 0,
      oomKills: field(memEvents, 'oom_kill'),
      memoryBytes:
        Number(read(path.join(memDir, this.support.kind === 'cgroup2' ? 'memory.current' : 'memory.usage_in_bytes')).trim()) || 0,
    };
  }

  /**
   * Removes the directories. The run's leader has exited but the kernel may still be tearing down
   * its pid namespace: what is left is killed, and removal is retried for a few seconds.
   */
  remove(): void {
    this.events?.pids.close();
    this.events?.memory.close();
    const attempt = (left: number): void => {
      for (const dir of this.dirs) {
        for (const pid of read(path.join(dir, 'cgroup.procs')).split('\n').filter(Boolean)) killPid(Number(pid));
      }
      const busy = this.dirs.filter((dir) => !rmdir(dir));
      if (busy.length && left > 0) setTimeout(() => attempt(left - 1), 50).unref();
    };
    attempt(100);
  }
}

/** Removes cgroups a crashed orchestrate left (`orchestrate-<pid>-…` whose pid is gone). */
export function sweepCgroups(support: CgroupSupport): void {
  if (support.kind === 'none') return;
  const parents = support.kind === 'cgroup2' ? [support.parent] : Object.values(support.parents);
  for (const parent of parents) {
    let names: string[];
    try {
      names = readdirSync(parent);
    } catch {
      continue;
    }
    for (const name of names) {
      const pid = /^orchestrate-(\d+)-/.exec(name)?.[1];
      if (pid && !pidAlive(Number(pid))) rmdir(path.join(parent, name));
    }
  }
}

function rmdir(dir: string): boolean {
  try {
    rmdirSync(dir);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

function probe(parent: string): void {
  const dir = path.join(parent, `orchestrate-probe-${process.pid}`);
  mkdirSync(dir);
  rmdirSync(dir);
}

/** `0::/a/b` (v2) or `4:memory:/x` (v1) → the path for `controller` ('' = v2). */
function ownPath(selfCgroup: string, controller: string): string | undefined {
  for (const line of selfCgroup.split('\n')) {
    const [, list, p] = /^\d+:([^:]*):(.*)$/.exec(line) ?? [];
    if (p === undefined) continue;
    if (controller === '' ? list === '' : list!.split(',').includes(controller)) return p;
  }
  return undefined;
}

/** `max 3` in a flat-keyed file → 3 (0 when absent). */
function field(text: string, key: string): number {
  let re = FIELDS.get(key);
  if (!re) FIELDS.set(key, (re = new RegExp(`^${key} (\\d+)$`, 'm')));
  const m = re.exec(text);
  return m ? Number(m[1]) : 0;
}

const FIELDS = new Map<string, RegExp>();

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function readSelf(): string {
  return read('/proc/self/cgroup');
}
