import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ReviewDiff } from './review-diff.js';
import type { Verdict } from './verdict.js';

/** What `npm init` writes as `scripts.test`: not a test suite, and it always fails. */
const NPM_PLACEHOLDER = /no test specified/;

/**
 * The project's test command, by the first marker file found: package.json `scripts.test`,
 * a Makefile `test:` target, pyproject.toml/pytest.ini, go.mod, Cargo.toml. Undefined when none.
 */
export function detectTestCommand(target: string): string[] | undefined {
  const read = (name: string): string | undefined => {
    try {
      return readFileSync(path.join(target, name), 'utf8');
    } catch {
      return undefined;
    }
  };
  const pkg = read('package.json');
  if (pkg !== undefined) {
    try {
      const test = (JSON.parse(pkg) as { scripts?: { test?: unknown } }).scripts?.test;
      if (typeof test === 'string' && test.trim() !== '' && !NPM_PLACEHOLDER.test(test)) return ['npm', 'test', '--silent'];
    } catch {
      // a broken package.json: look for the other markers
    }
  }
  const makefile = read('Makefile') ?? read('makefile') ?? read('GNUmakefile');
  if (makefile !== undefined && /^test\s*:(?!=)/m.test(makefile)) return ['make', 'test'];
  if (existsSync(path.join(target, 'pyproject.toml')) || existsSync(path.join(target, 'pytest.ini')))
    return ['python3', '-m', 'pytest', '-q'];
  if (existsSync(path.join(target, 'go.mod'))) return ['go', 'test', './...'];
  if (existsSync(path.join(target, 'Cargo.toml'))) return ['cargo', 'test'];
  return undefined;
}

/** The test run the integrator made (inside the sandbox) for the mechanical review. */
export interface MechanicalTestRun {
  command: string[];
  exitCode: number;
  /** The last lines of its output. */
  outputTail: string;
}

/** At most this much of the test output goes into the issue. */
const MAX_TAIL = 1500;

/**
 * orchestrate's own review when no agent gave a verdict. It can judge only two facts: whether
 * the project's tests pass (failing → request_changes with a high issue quoting the output),
 * and what changed (stated in the summary). It never blocks: that takes a reader.
 */
export function mechanicalVerdict(input: {
  test?: MechanicalTestRun;
  diffStats: Pick<ReviewDiff['stats'], 'added' | 'modified' | 'deleted'>;
}): Verdict {
  const { test, diffStats: s } = input;
  const changed = `${s.added} added, ${s.modified} modified, ${s.deleted} deleted file(s)`;
  const note = 'Mechanical review by orchestrate (no agent reviewer gave a verdict): only tests and diff statistics were checked.';
  if (!test) {
    return { verdict: 'approve', summary: `${note} Changes: ${changed}. No test command was found, so nothing was run.`, issues: [] };
  }
  const command = test.command.join(' ');
  if (test.exitCode === 0) {
    return { verdict: 'approve', summary: `${note} Changes: ${changed}. \`${command}\` passed.`, issues: [] };
  }
  const tail = test.outputTail.length > MAX_TAIL ? `…${test.outputTail.slice(-MAX_TAIL)}` : test.outputTail;
  return {
    verdict: 'request_changes',
    summary: `${note} Changes: ${changed}. \`${command}\` failed with exit code ${test.exitCode}.`,
    issues: [
      {
        severity: 'high',
        message: `\`${command}\` exits ${test.exitCode}; make the tests pass. Output (last lines):\n${tail.trim() || '(no output)'}`,
      },
    ],
  };
}
