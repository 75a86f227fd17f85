import { copyFileSync, cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { safeGitAsync } from '../process/safe-git.js';

/** A branch name component git accepts (the subset orchestrate's names use). */
const BRANCH = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/**
 * The agents' `.git` for each separate copy, made from one `git init` per session instead of
 * `git init` + `update-ref` per copy (each fork costs orchestrate more the bigger it grows).
 * Real git writes the template (config with the probes of this file system: filemode, symlinks);
 * each copy gets the template's files plus what `giveAgentsARepo` gives: objects borrowed from
 * orchestrate's git dir, the branch at the commit (and its reflog entry), HEAD on it, the index
 * matching the files.
 */
export class AgentsRepoTemplate {
  private made: Promise<string> | undefined;

  /** `dir`: a folder of orchestrate's own (the session copy's root), remade by this process. */
  constructor(private readonly dir: string) {}

  /** Gives `workDir` its `.git`; false (nothing written) when the branch name is not one git accepts. */
  async give(workDir: string, gitDir: string, index: string, branch: string, commit: string): Promise<boolean> {
    const name = branch.replace(/^refs\/heads\//, '');
    if (!BRANCH.test(name) || name.endsWith('.lock') || name.endsWith('.') || name.includes('..')) return false;
    const template = await this.template();
    const dotGit = path.join(workDir, '.git');
    cpSync(template, dotGit, { recursive: true, errorOnExist: true, force: false });
    writeFileSync(path.join(dotGit, 'objects', 'info', 'alternates'), `${path.join(gitDir, 'objects')}\n`);
    mkdirSync(path.join(dotGit, 'refs', 'heads'), { recursive: true });
    writeFileSync(path.join(dotGit, 'refs', 'heads', name), `${commit}\n`);
    writeFileSync(path.join(dotGit, 'HEAD'), `ref: refs/heads/${name}\n`);
    // the reflog entry update-ref writes (logAllRefUpdates is on in a work tree's repository)
    const entry = `${'0'.repeat(commit.length)} ${commit} orchestrate <orchestrate@localhost> ${Math.floor(Date.now() / 1000)} +0000\n`;
    mkdirSync(path.join(dotGit, 'logs', 'refs', 'heads'), { recursive: true });
    writeFileSync(path.join(dotGit, 'logs', 'refs', 'heads', name), entry);
    writeFileSync(path.join(dotGit, 'logs', 'HEAD'), entry);
    copyFileSync(index, path.join(dotGit, 'index'));
    return true;
  }

  /** The template's `.git`, made once (a stale one from an earlier process is not trusted: remade). */
  private template(): Promise<string> {
    this.made ??= (async () => {
      rmSync(this.dir, { recursive: true, force: true });
      mkdirSync(this.dir, { recursive: true });
      await safeGitAsync(['init', '--quiet', this.dir], { cwd: this.dir });
      return path.join(this.dir, '.git');
    })();
    return this.made;
  }
}
