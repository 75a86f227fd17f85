import { describe, expect, it } from 'vitest';
import type { FileSnapshot } from '../../../src/session/file-snapshot.js';
import { TargetTree } from '../../../src/supervisor/target-tree.js';

/** A tree whose walks are counted; each walk returns a new picture. */
function counted(): { tree: TargetTree; walks: () => number } {
  let n = 0;
  const tree = new TargetTree(() => new Map([['walk', String(++n)]]) as FileSnapshot);
  return { tree, walks: () => n };
}

describe('TargetTree', () => {
  it('walks once per run, not twice, when runs follow each other', () => {
    const { tree, walks } = counted();
    for (let i = 0; i < 3; i++) {
      const before = tree.beforeRun();
      tree.runStarted();
      const after = tree.afterRun(true);
      expect(after).not.toBe(before);
    }
    expect(tree.current()).toBe(tree.beforeRun());
    expect(walks()).toBe(4); // the initial picture plus one after each run (was 8)
  });

  it('walks again for a run that starts while another one is changing the tree', () => {
    const { tree, walks } = counted();
    tree.beforeRun();
    tree.runStarted();
    const second = tree.beforeRun(); // the first agent is running: the quiet picture is stale
    expect(walks()).toBe(2);
    tree.runStarted();
    tree.afterRun(true);
    expect(tree.current()).not.toBe(second); // one agent still running: no quiet picture yet
    tree.afterRun(true);
    const quiet = tree.current();
    expect(tree.current()).toBe(quiet);
  });

  it('reuses the picture for a run whose agent never started', () => {
    const { tree, walks } = counted();
    const before = tree.beforeRun();
    expect(tree.afterRun(false)).toBe(before);
    expect(walks()).toBe(1);
  });

  it('walks no picture at the end of a run whose changes come from git, and one when a picture is next asked for', () => {
    const { tree, walks } = counted();
    tree.runStarted();
    tree.runEnded();
    expect(walks()).toBe(1); // only the initial picture
    const now = tree.current(); // a review looks: one walk, kept while no agent runs
    expect(now.get('walk')).toBe('2');
    expect(tree.beforeRun()).toBe(now);
    expect(walks()).toBe(2);
    tree.runStarted();
    expect(tree.current()).not.toBe(now); // an agent runs again: the picture is stale
  });

  it('keeps no picture taken while an agent runs', () => {
    const { tree, walks } = counted();
    tree.runStarted();
    tree.runStarted();
    tree.runEnded();
    const during = tree.current();
    expect(tree.current()).not.toBe(during); // the other agent still runs
    tree.runEnded();
    expect(walks()).toBe(3);
  });
});
