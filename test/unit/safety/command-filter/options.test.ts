// The one option scanner reads options as getopt does, whatever command's spec it is given:
// clusters give a value letter the rest of the word or the next word, `--x=v`, optional attached
// values, options that end the scan, `+o` words and a lone `-`.
import { describe, expect, it } from 'vitest';
import { scanAssignments, scanOptions } from '../../../../src/safety/command-filter/options.js';
import { literalWord, unknownWord } from '../../../../src/safety/command-filter/words.js';
import { staticText } from '../../../../src/safety/command-filter/simple-command.js';

const words = (line: string) => line.split(' ').map((w) => literalWord(w));
const texts = (ws: readonly { values: readonly string[] }[]) => ws.map((w) => w.values[0]);

describe('scanOptions', () => {
  it('gives a value letter inside a cluster the next word (bash -lc SCRIPT, python -Sc CODE)', () => {
    const scan = scanOptions(words('-Sc print(1) x.py'), { values: ['-c'] });
    expect(staticText(scan.wordOf('-c'))).toBe('print(1)');
    expect(scan.has('-S')).toBe(true);
    expect(texts(scan.operands)).toEqual(['x.py']);
  });

  it('gives it the rest of the word when attached (-n5, -xn5, -I{})', () => {
    expect(scanOptions(words('-xn5 cmd'), { values: ['-n'] }).valueOf('-n')).toBe('5');
    expect(scanOptions(words('-I{} rm {}'), { values: ['-I'] }).valueOf('-I')).toBe('{}');
    expect(scanOptions(words('--namespace=prod x'), { values: ['--namespace'] }).valueOf('--namespace')).toBe('prod');
  });

  it('reads --name="$X" as the option with a value known only at run time, and $X alone as an operand', () => {
    const dyn = { ...unknownWord(), sketch: '--to-command=__DYN__' };
    const scan = scanOptions([dyn, unknownWord(), literalWord('x')], { values: ['--to-command'], stopAtOperand: false });
    const value = scan.wordOf('--to-command');
    expect(value?.dynamic).toBe(true);
    expect(value?.sketch).toBe('__DYN__');
    expect(scan.operands.length).toBe(2);
  });

  it('reads optional values only when attached', () => {
    const bare = scanOptions(words('-i rm {}'), { optional: ['-i'] });
    expect(bare.items.find((it) => it.name === '-i')?.value).toBeUndefined();
    expect(bare.end).toBe(1);
    expect(scanOptions(words('-iX rm X'), { optional: ['-i'] }).valueOf('-i')).toBe('X');
  });

  it('stops at an option that ends the scan, keeping the rest as operands', () => {
    const scan = scanOptions(words('-m pip install -r req.txt'), { values: ['-m'], ends: ['-m'] });
    expect(scan.valueOf('-m')).toBe('pip');
    expect(scan.end).toBe(2);
    expect(texts(scan.operands)).toEqual(['install', '-r', 'req.txt']);
  });

  it('reads +o words and a lone - when the spec says so', () => {
    const scan = scanOptions(words('+o posix -e - script'), { values: ['+o'], plus: true, dashEnds: true });
    expect(scan.valueOf('+o')).toBe('posix');
    expect(scan.has('-e')).toBe(true);
    expect(scan.end).toBe(4);
    expect(scanOptions(words('- script')).end).toBe(0);
  });

  it('does not treat an odd word as a cluster (-I. is one option)', () => {
    const scan = scanOptions(words('-I. x'), { values: ['-n'] });
    expect(scan.flags).toEqual(['-I.']);
    expect(scan.end).toBe(1);
  });

  it('ends at -- and, when options may follow operands, keeps scanning', () => {
    expect(scanOptions(words('-f -- -x')).end).toBe(2);
    const late = scanOptions(words('delete pod x -n prod'), { values: ['-n'], stopAtOperand: false });
    expect(late.valueOf('-n')).toBe('prod');
    expect(texts(late.operands)).toEqual(['delete', 'pod', 'x']);
  });

  it('ends at any dash word outside a closed set of options (find -L ROOT -name x)', () => {
    const spec = { only: ['-H', '-L', '-P'], values: ['-D'], optional: ['-O'] };
    const scan = scanOptions(words('-L -O3 -D tree / -name x'), spec);
    expect(scan.end).toBe(4);
    expect(scan.valueOf('-O')).toBe('3');
    expect(scan.valueOf('-D')).toBe('tree');
    expect(scanOptions(words('-name x -delete'), spec).end).toBe(0);
    expect(scanOptions(words('-HL /'), spec).end).toBe(0);
  });

  it('reads whole-word options as words, never clusters (pwsh -noprofile -executionpolicy X)', () => {
    const spec = { values: ['-executionpolicy', '-o'], ends: ['-command'], words: true };
    const scan = scanOptions(words('-noprofile -executionpolicy bypass -command rm x'), spec);
    expect(scan.has('-noprofile')).toBe(true);
    expect(scan.valueOf('-o')).toBeUndefined();
    expect(scan.valueOf('-executionpolicy')).toBe('bypass');
    expect(scan.end).toBe(4);
    // without `words`, -noprofile is a cluster whose -o takes the rest of the word
    expect(scanOptions(words('-noprofile x'), { values: ['-o'] }).valueOf('-o')).toBe('profile');
  });
});

describe('scanAssignments', () => {
  it('takes any word with a = after its first character, as env and sudo do, and stops at the command', () => {
    const r = scanAssignments(words('-i A=1 1x=2 a.b=c =x rm'), 1);
    expect(r.end).toBe(4);
    expect(r.assigns).toEqual([
      { name: 'A', value: '1' },
      { name: '1x', value: '2' },
      { name: 'a.b', value: 'c' },
    ]);
  });

  it('keeps a word whose value is known only at run time an assignment, its value missing', () => {
    const r = scanAssignments([unknownWord({ sketch: 'X=__DYN__' }), literalWord('rm')], 0);
    expect(r).toEqual({ end: 1, assigns: [{ name: 'X' }] });
  });
});
