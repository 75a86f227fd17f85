import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectTestCommand, mechanicalVerdict } from '../../../src/review/mechanical.js';
import { VerdictSchema } from '../../../src/review/verdict.js';

let dir: string;
beforeEach(() => void (dir = mkdtempSync(path.join(os.tmpdir(), 'mechanical-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const put = (name: string, content = ''): void => writeFileSync(path.join(dir, name), content);

describe('detectTestCommand', () => {
  it('finds the test command by marker file', () => {
    const cases: Array<[string, string, string[]]> = [
      ['package.json', JSON.stringify({ scripts: { test: 'node --test' } }), ['npm', 'test', '--silent']],
      ['Makefile', 'build:\n\tcc x.c\ntest: build\n\t./run-tests\n', ['make', 'test']],
      ['pyproject.toml', '[project]\nname = "x"\n', ['python3', '-m', 'pytest', '-q']],
      ['pytest.ini', '[pytest]\n', ['python3', '-m', 'pytest', '-q']],
      ['go.mod', 'module x\n', ['go', 'test', './...']],
      ['Cargo.toml', '[package]\n', ['cargo', 'test']],
    ];
    for (const [file, content, command] of cases) {
      rmSync(dir, { recursive: true, force: true });
      dir = mkdtempSync(path.join(os.tmpdir(), 'mechanical-'));
      put(file, content);
      expect({ file, command: detectTestCommand(dir) }).toEqual({ file, command });
    }
  });

  it("skips npm init's placeholder script, a Makefile without a test target and a broken package.json", () => {
    put('package.json', JSON.stringify({ scripts: { test: 'echo "Error: no test specified" && exit 1' } }));
    put('Makefile', 'TEST := 1\ntesting:\n\ttrue\n');
    expect(detectTestCommand(dir)).toBeUndefined();
    put('package.json', '{ not json');
    put('go.mod', 'module x\n');
    expect(detectTestCommand(dir)).toEqual(['go', 'test', './...']);
  });

  it('finds nothing in an empty directory', () => {
    expect(detectTestCommand(dir)).toBeUndefined();
  });
});

describe('mechanicalVerdict', () => {
  const diffStats = { added: 2, modified: 1, deleted: 0 };

  it('requests changes with a high issue quoting the output when the tests fail', () => {
    const v = mechanicalVerdict({
      test: { command: ['npm', 'test', '--silent'], exitCode: 1, outputTail: 'not ok 3 - formats json\n' },
      diffStats,
    });
    expect(v.verdict).toBe('request_changes');
    expect(v.issues).toHaveLength(1);
    expect(v.issues[0]?.severity).toBe('high');
    expect(v.issues[0]?.message).toContain('not ok 3 - formats json');
    expect(v.summary).toContain('`npm test --silent` failed with exit code 1');
    expect(VerdictSchema.parse(v)).toEqual(v);
  });

  it('approves with the diff statistics when the tests pass or there are none', () => {
    const passed = mechanicalVerdict({ test: { command: ['make', 'test'], exitCode: 0, outputTail: 'ok' }, diffStats });
    expect(passed).toMatchObject({ verdict: 'approve', issues: [] });
    expect(passed.summary).toContain('2 added, 1 modified, 0 deleted file(s)');
    expect(passed.summary).toContain('`make test` passed');
    const untested = mechanicalVerdict({ diffStats });
    expect(untested.summary).toContain('No test command was found');
    expect(VerdictSchema.parse(untested)).toEqual(untested);
  });

  it('keeps only the tail of a long test output', () => {
    const v = mechanicalVerdict({ test: { command: ['cargo', 'test'], exitCode: 101, outputTail: `${'x'.repeat(5000)}END` }, diffStats });
    expect(v.issues[0]?.message.length).toBeLessThan(1700);
    expect(v.issues[0]?.message.endsWith('END')).toBe(true);
  });
});
