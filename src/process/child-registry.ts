import { signalGroup } from './kill-group.js';

/**
 * Every live process group orchestrate started (agents, bounded checks). They are spawned detached
 * (own group), so nothing kills them when orchestrate ends; this registry does: on exit of
 * orchestrate, each group still registered gets a synchronous SIGKILL.
 */
export class ChildRegistry {
  private readonly groups = new Map<number, string>();
  private exitHookInstalled = false;

  add(pgid: number, label: string): void {
    this.groups.set(pgid, label);
    this.installExitHook();
  }

  delete(pgid: number): void {
    this.groups.delete(pgid);
  }

  /** The registered groups, for the session's pid record and for tests. */
  list(): Array<{ pgid: number; label: string }> {
    return [...this.groups].map(([pgid, label]) => ({ pgid, label }));
  }

  /** SIGKILLs every registered group at once (last resort; normal stops go through AgentProcess). */
  killAll(): void {
    for (const pgid of this.groups.keys()) signalGroup(pgid, 'SIGKILL');
    this.groups.clear();
  }

  private installExitHook(): void {
    if (this.exitHookInstalled) return;
    this.exitHookInstalled = true;
    process.once('exit', () => this.killAll());
  }
}

/** The process-wide registry. */
export const childRegistry = new ChildRegistry();
