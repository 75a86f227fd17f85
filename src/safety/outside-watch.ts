import { lstatSync, readdirSync, type Stats } from 'node:fs';
import path from 'node:path';
import { diffSnapshots, type FileChanges, type FileSnapshot } from '../session/file-snapshot.js';
import { isWithin } from '../paths.js';

/** What to watch around an assignment. */
export interface OutsideWatchOptions {
  /** Absolute directories to watch (e.g. the target's parent, HOME). */
  watched: readonly string[];
  /** Absolute paths left out with everything below them: the allowed roots (target, state dirs, session workspace). */
  exclude: readonly string[];
  /** Levels below each watched directory that are listed (1 = its entries only). Default 2. */
  depth?: number;
  /** Bound on entries recorded per snapshot, over all watched directories. Default 20,000. */
  maxEntries?: number;
}

/** Changes outside the allowed roots since the baseline, absolute paths, sorted; and what could not be looked at. */
export interface OutsideChanges extends FileChanges {
  /** True when either snapshot stopped at maxEntries: entries past the bound were not compared. */
  truncated: boolean;
  /** Directories that could not be listed (permissions), in either snapshot. */
  unreadable: string[];
  /** Entries compared (the larger of the two snapshots). */
  entries: number;
}

interface Snapshot {
  entries: FileSnapshot;
  truncated: boolean;
  unreadable: string[];
}

/**
 * "After each assignment, nothing changed outside the allowed roots": a bounded picture of the
 * directories around the target taken at start(), compared by check().
 *
 * An entry is its type, size and mtime (symlinks as links, never followed). Directories inside the
 * depth are recorded by type only (their entries are compared one by one); a directory at the
 * depth limit also by mtime, which changes when an entry is added to it or removed, so a new file
 * one level too deep still shows, as that directory modified. The walk is sorted, so two pictures
 * of an unchanged tree are equal even when they stop at maxEntries.
 */
export class OutsideWatch {
  private baseline: Snapshot;

  private constructor(private readonly options: Required<OutsideWatchOptions>) {
    this.baseline = this.take();
  }

  /** Takes the baseline picture now. */
  static start(options: OutsideWatchOptions): OutsideWatch {
    return new OutsideWatch({
      watched: options.watched.map((p) => path.resolve(p)),
      exclude: options.exclude.map((p) => path.resolve(p)),
      depth: Math.max(1, options.depth ?? 2),
      maxEntries: Math.max(1, options.maxEntries ?? 20_000),
    });
  }

  /** What changed since the baseline (start() or the last rebase()). Changes nothing. */
  check(): OutsideChanges {
    return this.compare(this.take());
  }

  /**
   * `check` and then `rebase` on the same picture: one walk instead of two after each assignment,
   * and nothing that changes between the check and the new baseline goes unreported.
   */
  checkAndRebase(): OutsideChanges {
    const now = this.take();
    const found = this.compare(now);
    this.baseline = now;
    return found;
  }

  private compare(now: Snapshot): OutsideChanges {
    return {
      ...diffSnapshots(this.baseline.entries, now.entries),
      truncated: this.baseline.truncated || now.truncated,
      unreadable: [...new Set([...this.baseline.unreadable, ...now.unreadable])].sort(),
      entries: Math.max(this.baseline.entries.size, now.entries.size),
    };
  }

  /** Takes a new baseline, for the next assignment. */
  rebase(): void {
    this.baseline = this.take();
  }

  private take(): Snapshot {
    const { exclude, maxEntries } = this.options;
    const snap: Snapshot = { entries: new Map(), truncated: false, unreadable: [] };
    // A directory reached by two watched roots (HOME holds the target's parent) is walked once, as deep as either asks.
    const walkedTo = new Map<string, number>();
    const excluded = (p: string): boolean => exclude.some((root) => isWithin(p, root));

    const walk = (dir: string, levels: number): void => {
      if ((walkedTo.get(dir) ?? 0) >= levels) return;
      walkedTo.set(dir, levels);
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        snap.unreadable.push(dir);
        return;
      }
      for (const name of names.sort()) {
        const full = path.join(dir, name);
        if (excluded(full)) continue;
        if (snap.entries.size >= maxEntries && !snap.entries.has(full)) {
          snap.truncated = true;
          return;
        }
        let st: Stats;
        try {
          st = lstatSync(full);
        } catch {
          continue; // removed while walking
        }
        if (st.isDirectory() && levels > 1) {
          snap.entries.set(full, 'd');
          walk(full, levels - 1);
        } else if (st.isDirectory()) {
          if (snap.entries.get(full) !== 'd') snap.entries.set(full, `d:${st.mtimeMs}`);
        } else {
          snap.entries.set(full, `${st.isSymbolicLink() ? 'l' : st.isFile() ? 'f' : 'o'}:${st.size}:${st.mtimeMs}`);
        }
      }
    };

    for (const dir of this.options.watched) if (!excluded(dir)) walk(dir, this.options.depth);
    return snap;
  }
}
