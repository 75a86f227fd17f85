import { describe, expect, it } from 'vitest';
import { classifyCommand, MAX_COMMAND_LENGTH, parseShell, ShellParseError } from '../../../../src/safety/command-filter/index.js';
import { usesFastConverter } from '../../../../src/safety/command-filter/parse-shell.js';
import { BINCMD, PAREXP, PROC, REDIR } from '../../../../src/safety/command-filter/shell-ast.js';
import type { ShCallExpr, ShNode, ShStmt } from '../../../../src/safety/command-filter/shell-ast.js';
import type { FilterContext } from '../../../../src/safety/command-filter/index.js';
import { POLICY_CONTEXT } from './command-table.js';

const classify = (cmd: string, ctx: FilterContext = POLICY_CONTEXT) => classifyCommand(cmd, ctx);

describe('fail closed', () => {
  it('confirms what bash cannot parse', () => {
    for (const cmd of ["echo 'unterminated", 'ls &&&', 'if true; then', 'echo $(', 'case x in']) {
      expect(classify(cmd), cmd).toMatchObject({
        decision: 'confirm',
        rule: 'confirm.unparseable',
      });
    }
  });

  it('blocks unparseable text when a block-class command shows', () => {
    for (const cmd of ["rm -rf / 'oops", "git reset --hard 'x", 'mkfs.ext4 /dev/sda "', 'sh -c "rm -rf ~ \'x', '&& shutdown now']) {
      expect(classify(cmd), cmd).toMatchObject({
        decision: 'block',
        rule: 'block.unparseable-dangerous',
      });
    }
  });

  it('a nested script that does not parse is judged the same way', () => {
    expect(classify('bash -c "echo \'x"')).toMatchObject({
      decision: 'confirm',
      rule: 'confirm.unparseable',
    });
    expect(classify('bash -c "rm -rf / \'x"')).toMatchObject({
      decision: 'block',
      rule: 'block.unparseable-dangerous',
    });
  });

  it('gives up on absurd nesting without letting it through', () => {
    let cmd = 'rm -rf /some/path';
    for (let i = 0; i < 12; i++) cmd = `bash -c ${JSON.stringify(cmd)}`;
    expect(classify(cmd).decision).toBe('block');
    let benign = 'ls';
    for (let i = 0; i < 12; i++) benign = `bash -c ${JSON.stringify(benign)}`;
    expect(classify(benign)).toMatchObject({ decision: 'confirm', rule: 'confirm.unparseable' });
  });

  it('confirms input longer than the limit', () => {
    expect(classify('echo ' + 'a'.repeat(MAX_COMMAND_LENGTH))).toMatchObject({
      rule: 'confirm.unparseable',
    });
  });
});

describe('session paths come from the context', () => {
  const ctx: FilterContext = {
    cwd: '/srv/app/src',
    workspaceRoots: ['/srv/app'],
    home: '/Users/ana',
    tmpDirs: ['/private/tmp'],
    user: 'ana',
  };

  it('uses the given workspace, home and temp dirs', () => {
    expect(classify('rm -rf ../build', ctx).decision).toBe('allow');
    expect(classify('rm -rf ..', ctx).rule).toBe('block.workspace-wipe');
    expect(classify('rm -rf ~', ctx).reason).toContain('/Users/ana');
    expect(classify('rm -rf /private/tmp/x', ctx).decision).toBe('allow');
    expect(classify('rm -rf /tmp/x', ctx).rule).toBe('block.recursive-delete-outside');
    expect(classify('rm -rf $TMPDIR/x', ctx).decision).toBe('allow');
  });

  it('normalises the paths it is given', () => {
    const messy: FilterContext = {
      cwd: '/srv/app/./src/',
      workspaceRoots: ['/srv/app/'],
      home: '/Users/ana/',
      tmpDirs: ['/private/tmp/'],
    };
    expect(classify('rm -rf ../build', messy).decision).toBe('allow');
  });
});

describe('mvdan-sh adapter', () => {
  const firstCall = (src: string): ShCallExpr => (parseShell(src).Stmts[0] as ShStmt).Cmd as ShCallExpr;
  const redirOp = (src: string): number => (parseShell(src).Stmts[0] as ShStmt).Redirs[0]?.Op ?? -1;

  it('reads the tree through the fast converter (it passed its self-check)', () => {
    expect(usesFastConverter()).toBe(true);
  });

  it('token numbers match this mvdan-sh build', () => {
    expect(redirOp('a > f')).toBe(REDIR.RdrOut);
    expect(redirOp('a >> f')).toBe(REDIR.AppOut);
    expect(redirOp('a < f')).toBe(REDIR.RdrIn);
    expect(redirOp('a <<E\nx\nE')).toBe(REDIR.Hdoc);
    expect(redirOp('a <<-E\nx\nE')).toBe(REDIR.DashHdoc);
    expect(redirOp('a <<< x')).toBe(REDIR.WordHdoc);
    expect(redirOp('a &> f')).toBe(REDIR.RdrAll);
    const bin = (src: string): unknown => ((parseShell(src).Stmts[0] as ShStmt).Cmd as ShNode)['Op'];
    expect(bin('a | b')).toBe(BINCMD.Pipe);
    expect(bin('a && b')).toBe(BINCMD.AndStmt);
    const part = (src: string): ShNode => firstCall(src).Args[1]?.Parts[0] as ShNode;
    expect(part('cat <(a)')['Op']).toBe(PROC.CmdIn);
    expect((part('echo ${a:-b}')['Exp'] as ShNode)['Op']).toBe(PAREXP.DefaultUnsetOrNull);
    expect((part('echo ${a@P}')['Exp'] as ShNode)['Op']).toBe(PAREXP.OtherParamOps);
  });

  it('keeps UTF-8 text intact', () => {
    expect(firstCall('echo "héllo ✓"').Args[1]?.Parts[0]).toMatchObject({ type: 'DblQuoted' });
    const dq = firstCall('echo "héllo ✓"').Args[1]?.Parts[0] as ShNode;
    expect((dq['Parts'] as ShNode[])[0]?.['Value']).toBe('héllo ✓');
  });

  it('throws ShellParseError with the parser message', () => {
    expect(() => parseShell("echo 'x")).toThrow(ShellParseError);
    expect(() => parseShell("echo 'x")).toThrow(/reached EOF without closing quote/);
  });

  it('undoes the globals its GopherJS runtime sets', () => {
    parseShell('true');
    const g = globalThis as Record<string, unknown>;
    expect(Error.stackTraceLimit).not.toBe(Infinity);
    expect(g['sh']).toBeUndefined();
  });
});
