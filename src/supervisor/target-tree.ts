import { snapshotTree, type FileSnapshot } from '../session/file-snapshot.js';

/**
 * The target's file picture, walked only when it may have changed. A walk of a 50,000-file tree
 * costs about 0.5 s, so a picture taken while no agent was running is reused as the next run's
 * "before" and as the session's final picture, instead of walking again.
 */
export class TargetTree {
  /** The picture taken at the start of the session. */
  readonly initial: FileSnapshot;
  /** A picture still true: none of the agents has run since it was taken. */
  private quiet: FileSnapshot | undefined;
  private running = 0;

  constructor(private readonly take: () => FileSnapshot) {
    this.initial = take();
    this.quiet = this.initial;
  }

  /** Walks `root`, leaving out `exclude` (the session workspace). */
  static of(root: string, exclude: readonly string[]): TargetTree {
    return new TargetTree(() => snapshotTree(root, exclude));
  }

  /** The picture before a run: the quiet one when nothing ran since, else a fresh walk. */
  beforeRun(): FileSnapshot {
    return this.picture();
  }

  /** An agent process started: from now on the quiet picture may be stale. */
  runStarted(): void {
    this.running += 1;
    this.quiet = undefined;
  }

  /** A run ended (started or not): its "after". It is the quiet picture when no other run is going. */
  afterRun(started: boolean): FileSnapshot {
    if (started) this.running -= 1;
    if (!started && this.quiet) return this.quiet;
    const after = this.take();
    if (this.running === 0) this.quiet = after;
    return after;
  }

  /**
   * A run ended whose changes are read from git, not from pictures: nothing is walked now; the
   * next picture asked for is taken then (still quiet-reused once no agent runs).
   */
  runEnded(): void {
    this.running -= 1;
  }

  /** The picture now. */
  current(): FileSnapshot {
    return this.picture();
  }

  /** The quiet picture, taken now if there is none and no agent runs (then it stays true until one starts). */
  private picture(): FileSnapshot {
    if (this.quiet) return this.quiet;
    const now = this.take();
    if (this.running === 0) this.quiet = now;
    return now;
  }
}
