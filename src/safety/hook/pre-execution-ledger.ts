import type { Clock } from '../../clock.js';

/** A journal entry or a stop, the same shape as the supervisor's PolicyAction (safety/ does not import supervisor/). */
export type LedgerAction =
  | { type: 'stop'; status: 'stopped_by_safety'; reason: string }
  | { type: 'journal'; entryType: 'safety.command' | 'safety.violation'; data: Record<string, unknown> };

/**
 * How long a block-class command announced in the stream may wait for its hook: the hook client
 * answers in a few ms, so this only matters when a CLI did not run the hook at all.
 */
export const DEFAULT_HOOK_GRACE_MS = 2000;

/** What layer 1 knows about a command layer 2 has just seen announced in the stream. */
export type Announced = 'prevented' | 'pending' | 'unguarded';

export interface LedgerOptions {
  /**
   * The CLI prints a tool call before it runs its pre-execution hook (claude, gemini). codex
   * prints a command only after its hook let it through, so there a block-class command in the
   * stream was not prevented.
   */
  announcesBeforeHook: boolean;
  /** How long an announced block-class command may wait for the hook's decision before the run is stopped. */
  graceMs: number;
  clock: Clock;
}

interface Pending {
  command: string;
  toolId?: string;
  data: Record<string, unknown>;
  cancel: () => void;
}

/**
 * One run's meeting point of the two layers. The hook (layer 1) decides before a command runs;
 * the stream guard (layer 2) sees the same command announced, often first. A block-class command
 * the hook already refused is journaled and left alone; one the hook has not decided yet waits
 * until the hook refuses it, the CLI denies it, or the CLI shows it ran (its result) or the grace
 * runs out: then the run is stopped, as layer 2 always did.
 */
export class PreExecutionLedger {
  private readonly refused = new Map<string, number>();
  private readonly pending: Pending[] = [];
  private emit: (actions: LedgerAction[]) => void = () => undefined;
  private closed = false;

  constructor(private readonly options: LedgerOptions) {}

  /** Where the ledger sends a stop decided later (by a timer or the hook): the run's own action handler. */
  attach(emit: (actions: LedgerAction[]) => void): void {
    this.emit = emit;
  }

  /** The hook decided a shell command of this run. */
  hookDecided(command: string, decision: 'allow' | 'block' | 'confirm'): void {
    if (this.closed || !this.options.announcesBeforeHook) return;
    const i = this.pending.findIndex((p) => p.command === command);
    if (i < 0) {
      if (decision === 'block') this.refused.set(command, (this.refused.get(command) ?? 0) + 1);
      return;
    }
    const [p] = this.pending.splice(i, 1);
    p!.cancel();
    // The hook let through what the stream guard blocks (another cwd, a person said yes): stop now.
    if (decision !== 'block') this.emit(stopActions(p!, 'the hook let it run'));
  }

  /** Layer 2 saw a block-class command; `data` is its journal entry, used if the run must be stopped later. */
  announce(command: string, toolId: string | undefined, data: Record<string, unknown>): Announced {
    if (this.closed) return 'unguarded';
    const n = this.refused.get(command) ?? 0;
    if (n > 0) {
      if (n === 1) this.refused.delete(command);
      else this.refused.set(command, n - 1);
      return 'prevented';
    }
    if (!this.options.announcesBeforeHook) return 'unguarded';
    const entry: Pending = { command, data, cancel: () => undefined, ...(toolId !== undefined ? { toolId } : {}) };
    entry.cancel = this.options.clock.setTimeout(() => {
      const i = this.pending.indexOf(entry);
      if (i < 0) return;
      this.pending.splice(i, 1);
      this.emit(stopActions(entry, `the hook did not decide within ${this.options.graceMs} ms`));
    }, this.options.graceMs);
    this.pending.push(entry);
    return 'pending';
  }

  /** The CLI denied a call (`denied`) or reported its result: a pending command was prevented or ran. */
  settle(toolId: string | undefined, how: 'denied' | 'result'): LedgerAction[] {
    if (toolId === undefined) return [];
    const i = this.pending.findIndex((p) => p.toolId === toolId);
    if (i < 0) return [];
    const [p] = this.pending.splice(i, 1);
    p!.cancel();
    return how === 'denied' ? [] : stopActions(p!, 'the CLI ran it without the hook refusing it');
  }

  /** The run ended: no timer outlives it. */
  close(): void {
    this.closed = true;
    for (const p of this.pending.splice(0)) p.cancel();
    this.refused.clear();
  }
}

function stopActions(p: Pending, why: string): LedgerAction[] {
  return [
    { type: 'journal', entryType: 'safety.violation', data: { ...p.data, layer: 'stream', action: 'stopped the agent', detail: why } },
    {
      type: 'stop',
      status: 'stopped_by_safety',
      reason: `blocked command: ${p.command} (${String(p.data['rule'])}: ${String(p.data['reason'])}; ${why})`,
    },
  ];
}
