import { describe, expect, it } from 'vitest';
import type { TreeChange } from '../../../src/copy/private-repo.js';
import { parseRaw } from '../../../src/copy/private-repo.js';
import { vetChange } from '../../../src/copy/vet-change.js';

const change = (path: string, newMode = '100644', status: TreeChange['status'] = 'A'): TreeChange => ({
  path,
  status,
  oldMode: '000000',
  newMode,
  oldOid: '0',
  newOid: '1',
});

describe('vetChange: what may cross into the checkout', () => {
  it.each([
    ['src/a.js', '100644'],
    ['bin/run', '100755'],
    ['docs/.gitignore', '100644'],
    ['.gitattributes', '100644'],
  ])('lets a plain file through: %s (%s)', (p, mode) => {
    expect(vetChange(change(p, mode), undefined, '.orchestrate')).toBeUndefined();
  });

  it.each([
    ['.git/config', 'git metadata'],
    ['sub/.git/hooks/post-commit', 'git metadata'],
    ['sub/.GIT/config', 'git metadata'],
    ['orchestrate.config.json', "orchestrate's own config"],
    ['pkg/orchestrate.config.json', "orchestrate's own config"],
    ['.orchestrate/sessions/x/events.jsonl', 'workspace'],
    ['../escape.txt', 'not a plain relative path'],
    ['/etc/passwd', 'not a plain relative path'],
  ])('refuses %s (%s)', (p, why) => {
    expect(vetChange(change(p), undefined, '.orchestrate')?.why).toContain(why);
  });

  it("refuses a deletion of orchestrate's config or git metadata too", () => {
    expect(vetChange(change('orchestrate.config.json', '000000', 'D'), undefined, undefined)).toBeDefined();
    expect(vetChange(change('.git/HEAD', '000000', 'D'), undefined, undefined)).toBeDefined();
    expect(vetChange(change('src/old.js', '000000', 'D'), undefined, undefined)).toBeUndefined();
  });

  it('lets symlinks that stay inside through and refuses the others', () => {
    expect(vetChange(change('a/link', '120000'), '../b/file', undefined)).toBeUndefined();
    expect(vetChange(change('a/link', '120000'), '/etc/passwd', undefined)?.why).toContain('absolute');
    expect(vetChange(change('a/link', '120000'), '../../outside', undefined)?.why).toContain('outside the target');
    expect(vetChange(change('link', '120000'), '.git/config', undefined)?.why).toContain('git metadata');
  });

  it('refuses gitlinks and unknown modes', () => {
    expect(vetChange(change('vendor/lib', '160000'), undefined, undefined)?.why).toContain('nested repository');
    expect(vetChange(change('x', '104755'), undefined, undefined)?.why).toContain('unsupported file mode');
  });
});

describe('parseRaw', () => {
  it('reads git diff-tree -z --raw output, paths with spaces and newlines included', () => {
    const out = ':000000 100644 0000000 abc1234 A\0a b.txt\0:100644 000000 abc1234 0000000 D\0line\nbreak\0';
    expect(parseRaw(out)).toEqual([
      { path: 'a b.txt', status: 'A', oldMode: '000000', newMode: '100644', oldOid: '0000000', newOid: 'abc1234' },
      { path: 'line\nbreak', status: 'D', oldMode: '100644', newMode: '000000', oldOid: 'abc1234', newOid: '0000000' },
    ]);
  });
});
