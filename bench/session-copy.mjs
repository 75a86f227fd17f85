// Session-copy benchmark: time and extra disk to set up a session copy (createSessionCopy: a
// `git clone --bare --local` into orchestrate's git dir, the files the person sees copied with
// reflink-or-copy, a baseline commit, the agents' .git) of a 2,000-file and a 50,000-file git
// repository with some uncommitted work, against `cp -r` and `git clone --local` of the same
// repository in the same run. Extra disk is `du` of target + copy minus `du` of the target alone,
// so hard-linked git objects count once, as on the disk.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSessionCopy } from '../dist/copy/create-copy.js';

function sh(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** A git repository of `files` source-like files (100 per folder), committed, then 20 edits and 20 new files. */
function makeRepo(root, files) {
  const repo = path.join(root, `repo-${files}`);
  for (let i = 0; i < files; i++) {
    const dir = path.join(repo, `pkg${Math.floor(i / 1000)}`, `mod${Math.floor(i / 100) % 10}`);
    if (i % 100 === 0) mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `file${i}.js`), `// file ${i}\n${'export const v = 1;\n'.repeat(20 + (i % 40))}`);
  }
  sh('git', ['init', '-q'], repo);
  sh('git', ['add', '-A'], repo);
  // no background auto-gc racing the clones below; packed, as a real repository mostly is
  sh('git', ['-c', 'gc.auto=0', '-c', 'user.name=b', '-c', 'user.email=b@x', 'commit', '-qm', 'bench'], repo);
  sh('git', ['gc', '-q'], repo);
  for (let i = 0; i < 20; i++) appendFileSync(path.join(repo, 'pkg0', 'mod0', `file${i}.js`), '// edited\n');
  for (let i = 0; i < 20; i++) writeFileSync(path.join(repo, `new${i}.js`), 'new\n');
  return repo;
}

const duKb = (...paths) =>
  Number(
    sh('du', ['-skc', ...paths])
      .trim()
      .split('\n')
      .at(-1)
      .split('\t')[0],
  );

function timed(fn) {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

export function runSessionCopy({ sizes = [2_000, 50_000] } = {}) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'bench-copy-'));
  const results = [];
  try {
    for (const files of sizes) {
      const repo = makeRepo(root, files);
      process.stderr.write(`bench session-copy: ${files} files made\n`);
      const targetKb = duKb(repo);
      const cpDest = path.join(root, `cp-${files}`);
      const cpMs = timed(() => sh('cp', ['-r', repo, cpDest], root));
      const cpKb = duKb(repo, cpDest) - targetKb;
      const cloneDest = path.join(root, `clone-${files}`);
      const cloneMs = timed(() => sh('git', ['clone', '-q', '--local', repo, cloneDest], root));
      const cloneKb = duKb(repo, cloneDest) - targetKb;
      let copyRoot = '';
      let report;
      const copyMs = timed(() => {
        const made = createSessionCopy({
          target: repo,
          workspace: path.join(repo, '.orchestrate'),
          stateRoot: path.join(root, 'state'),
          sessionId: `s${files}`,
        });
        copyRoot = made.info.root;
        report = made.report;
      });
      const copyKb = duKb(repo, copyRoot) - targetKb;
      results.push({
        files,
        copiedFiles: report.files,
        targetKb,
        sessionCopy: { ms: Math.round(copyMs), extraKb: copyKb },
        cpR: { ms: Math.round(cpMs), extraKb: cpKb },
        gitCloneLocal: { ms: Math.round(cloneMs), extraKb: cloneKb },
        timeVsCp: +(copyMs / cpMs).toFixed(2),
        timeVsClone: +(copyMs / cloneMs).toFixed(2),
        diskVsCp: +(copyKb / cpKb).toFixed(2),
        diskVsClone: +(copyKb / cloneKb).toFixed(2),
      });
      rmSync(cpDest, { recursive: true, force: true });
      rmSync(cloneDest, { recursive: true, force: true });
      rmSync(copyRoot, { recursive: true, force: true });
      rmSync(repo, { recursive: true, force: true });
    }
  } finally {
    spawnSync('rm', ['-rf', root]);
  }
  return { benchmark: 'session-copy', results };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = process.argv.slice(2).map(Number).filter(Boolean);
  console.log(JSON.stringify(runSessionCopy(sizes.length ? { sizes } : {}), null, 2));
}
