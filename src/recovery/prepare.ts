import type { LaunchMode, LaunchSpec } from '../agents/adapter.js';
import type { AgentId } from '../agents/agent-id.js';
import { CLAUDE_ROOT_SAFE_TOOLS } from '../agents/adapters/claude.js';

/** A foreseeable failure avoided before launch, journaled as `recovery.prepared`. */
export interface Preparation {
  /** The catalogue entry it avoids (`prepare.directories-exist` for the folders a run needs). */
  id: string;
  /** The flag or variable chosen, as a person reads it. */
  choice: string;
  reason: string;
  /** The argv words the launch must contain for the claim to be true (checked by the tests). */
  argv: readonly string[];
  /** The environment the adapter must add. */
  env?: Readonly<Record<string, string>>;
  /** Folders to create before launch. */
  ensureDirs?: readonly string[];
}

/** What else the launch has, beyond the context. */
export interface PreparationExtra {
  mode?: LaunchMode;
  /** The extra directories the run gets (`--add-dir` / `--include-directories`). */
  addDirs?: readonly string[];
  /** Which of those exist (the caller asks the file system); missing ones are created first. */
  dirExists?: (dir: string) => boolean;
  /** A resumed session (codex `exec resume` takes the extra roots as a `-c` override). */
  resuming?: boolean;
}

/**
 * Lists the catalogue's `prepared` failures this launch avoids and how, from the same facts the
 * adapters decide on, so the journal says why each flag is there. Pure.
 */
export function describePreparations(agent: AgentId, context: LaunchSpec['context'], extra: PreparationExtra = {}): Preparation[] {
  const mode = extra.mode ?? 'work';
  const addDirs = extra.addDirs ?? [];
  const out: Preparation[] = [];
  if (agent === 'claude') {
    out.push({
      id: 'claude.stream-json-needs-verbose',
      choice: '--verbose',
      reason: 'claude -p refuses --output-format stream-json without --verbose',
      argv: ['--output-format', 'stream-json', '--verbose'],
    });
    if (mode === 'work' && context.isRoot && context.sandboxed) {
      out.push({
        id: 'claude.root-bypass-refused',
        choice: 'IS_SANDBOX=1 with --dangerously-skip-permissions',
        reason: 'claude refuses its bypass flag as root unless IS_SANDBOX=1, which is true here: bubblewrap is active',
        argv: ['--dangerously-skip-permissions'],
        env: { IS_SANDBOX: '1' },
      });
    } else if (mode === 'work' && context.isRoot) {
      out.push({
        id: 'claude.root-bypass-refused',
        choice: `--permission-mode acceptEdits --allowedTools ${CLAUDE_ROOT_SAFE_TOOLS}`,
        reason:
          'claude refuses its bypass flag as root, and without the sandbox IS_SANDBOX=1 would be a lie; acceptEdits keeps writes inside the working dirs',
        argv: ['--permission-mode', 'acceptEdits', '--allowedTools', CLAUDE_ROOT_SAFE_TOOLS],
      });
    }
  }
  if (agent === 'codex' && !context.targetIsGitRepo) {
    out.push({
      id: 'codex.outside-git-repo',
      choice: '--skip-git-repo-check',
      reason: 'the target is not a git work tree, and codex exec refuses to run outside one without it',
      argv: ['--skip-git-repo-check'],
    });
  }
  if (agent === 'gemini') {
    out.push(
      context.trustTarget
        ? {
            id: 'gemini.untrusted-folder',
            choice: '--skip-trust',
            reason: 'headless gemini exits 55 in a folder it does not trust; the session trusts the target',
            argv: ['--skip-trust'],
          }
        : {
            id: 'gemini.untrusted-folder',
            choice: 'no --skip-trust (--no-trust)',
            reason:
              'the session does not trust the target: gemini runs only if its own settings trust the folder, else it exits 55 and a person is asked',
            argv: [],
          },
    );
  }
  // A read-only codex review resumes without writable roots: nothing to grant.
  if (addDirs.length > 0 && !(agent === 'codex' && extra.resuming && mode === 'review')) {
    const flag =
      agent === 'gemini'
        ? ['--include-directories', addDirs.join(',')]
        : agent === 'codex' && extra.resuming
          ? ['-c', `sandbox_workspace_write.writable_roots=[${addDirs.map((d) => JSON.stringify(d)).join(',')}]`]
          : addDirs.flatMap((d) => ['--add-dir', d]);
    const missing = addDirs.filter((d) => !(extra.dirExists?.(d) ?? true));
    const prep: Preparation = {
      id: 'prepare.directories-exist',
      choice: flag.join(' '),
      reason: `the run may write there (sandbox.allowWrite); ${missing.length > 0 ? 'missing folders are created first, since ' : ''}the CLI refuses writes outside its working dirs`,
      argv: flag,
    };
    if (missing.length > 0) prep.ensureDirs = missing;
    out.push(prep);
  }
  return out;
}
