import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { QuestionBoard } from '../../../../src/dashboard/web/question-board.js';
import { askAnywhere } from '../../../../src/cli/run-dashboard.js';

describe('QuestionBoard', () => {
  it('keeps a question open until answered, tells the answer listener, and forgets it', async () => {
    const board = new QuestionBoard(() => 0);
    const told: string[] = [];
    board.onAnswer = (q, a) => told.push(`${q.kind}:${a}`);
    const asked = board.ask({ kind: 'escalation', question: 'let it stand?' });
    const [q] = board.list();
    expect(q).toMatchObject({ kind: 'escalation', question: 'let it stand?', askedAt: '1970-01-01T00:00:00.000Z' });
    expect(board.answer(q!.id, 'no')).toBe(true);
    expect(await asked).toBe('no');
    expect(board.answer(q!.id, 'yes')).toBe(false);
    expect(board.list()).toEqual([]);
    expect(told).toEqual(['escalation:no']);
  });

  it('withdraws a question when its asker gives up', async () => {
    const board = new QuestionBoard();
    const c = new AbortController();
    const asked = board.ask({ kind: 'confirm', question: 'q' }, c.signal);
    c.abort();
    expect(await asked).toBe('withdrawn');
    expect(board.list()).toEqual([]);
  });
});

describe('askAnywhere', () => {
  it("takes the page's answer when it comes first and withdraws the terminal prompt", async () => {
    const board = new QuestionBoard();
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = '';
    output.on('data', (c: Buffer) => (shown += c.toString()));
    const answer = askAnywhere({ kind: 'confirm', question: 'allow?', board, terminal: { input, output } });
    const [q] = board.list();
    board.answer(q!.id, 'yes');
    expect(await answer).toBe('yes');
    expect(shown).toContain('allow? [y/N]');
    expect(shown).toContain('(answered on the dashboard, or withdrawn)');
    // typing afterwards answers nothing
    input.write('n\n');
    expect(board.list()).toEqual([]);
  });

  it("takes the terminal's answer when it comes first and closes the page's question", async () => {
    const board = new QuestionBoard();
    const input = new PassThrough();
    const answer = askAnywhere({ kind: 'escalation', question: 'go on?', board, terminal: { input, output: new PassThrough() } });
    expect(board.list()).toHaveLength(1);
    input.write('y\n');
    expect(await answer).toBe('yes');
    expect(board.list()).toEqual([]);
  });
});
