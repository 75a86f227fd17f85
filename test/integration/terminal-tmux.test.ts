import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { textWidth } from '../../src/dashboard/fit-width.js';
import { ORCHESTRATE_BIN, OrchestrateHarness, SANDBOX_USABLE } from '../helpers/orchestrate-harness.js';
import { startTmux, TMUX_USABLE, type TmuxPane } from '../helpers/tmux.js';
import { until } from '../helpers/until.js';

// The live terminal view in a real terminal (tmux) at 80x24 and 160x50: claude works (a line
// every 50 ms, long lines included), is paused and resumed with `ctl`, then codex reviews it
// slowly. Every screen read back: no line wider than the screen, at most one live line per run
// and one bottom line; at the end no live line is left anywhere in the history.
const TASK = 'Add a --json flag to the report command';
let h: OrchestrateHarness | undefined;
let pane: TmuxPane | undefined;
afterEach(async () => {
  pane?.kill();
  pane = undefined;
  await h?.cleanup();
  h = undefined;
});

const SPINNER = /^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏‖…] (claude|codex|gemini)/;
const BOTTOM = /assignments done/;

function scenario(h: OrchestrateHarness, name: string, steps: object[]): string {
  const file = path.join(h.logDir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ description: name, steps }));
  return file;
}

/** Checks one screen; returns it joined for pattern waits. */
function check(screen: string[], cols: number): string {
  for (const line of screen) expect(textWidth(line), `wider than ${cols}: ${line}`).toBeLessThanOrEqual(cols);
  expect(screen.filter((l) => BOTTOM.test(l)).length, screen.join('\n')).toBeLessThanOrEqual(1);
  const live = screen.filter((l) => SPINNER.test(l)).map((l) => l.replace(/^\S+ /, '').split(/\s+/).slice(0, 2).join(' '));
  // one live line per run: the same agent twice only as work and a review
  expect(live.filter((l) => !l.includes('reviewing')).length, screen.join('\n')).toBe(
    new Set(live.filter((l) => !l.includes('reviewing'))).size,
  );
  return screen.join('\n');
}

describe('the live view in tmux', () => {
  it('has tmux (.ci/run installs it)', () => expect(TMUX_USABLE).toBe(true));

  it.each([
    { cols: 80, rows: 24 },
    { cols: 160, rows: 50 },
  ])('at $cols x $rows: fits the width, no stale lines, pause shown, reviews shown', async ({ cols, rows }) => {
    h = new OrchestrateHarness({ agents: ['claude', 'codex'], config: { killGrace: '1s' } });
    const long = 'a long line that an agent says, much wider than any terminal: '.repeat(6);
    const work = scenario(h, 'work', [
      ...Array.from({ length: 120 }, (_, i) => [{ say: `tick ${i} ${i % 10 === 0 ? long : ''}` }, { delayMs: 50 }]).flat(),
      { say: 'DONE: ticked' },
    ]);
    const review = scenario(h, 'review', [
      ...Array.from({ length: 60 }, (_, i) => [{ say: `reading ${i}` }, { delayMs: 50 }]).flat(),
      { structured: { verdict: 'approve', summary: 'fine', issues: [] } },
    ]);
    const plan = path.join(h.root, 'plan.json');
    writeFileSync(plan, JSON.stringify({ assignments: [{ id: 'work', agent: 'claude', title: 'tick', weight: 1 }] }));
    const sandbox = SANDBOX_USABLE ? [] : ['--no-sandbox'];
    const argv = [
      process.execPath,
      ORCHESTRATE_BIN,
      '--target',
      h.target,
      '--config',
      h.configFile,
      ...sandbox,
      '--agents',
      'claude,codex',
      '--plan',
      plan,
      TASK,
    ];
    pane = startTmux(argv, { cols, rows, cwd: h.root, env: h.env({ FAKE_CLAUDE_SCENARIO: work, FAKE_CODEX_SCENARIO: review }) });
    const p = pane;
    const screenMatches = (re: RegExp, what: string): Promise<string> =>
      until(
        () => {
          const text = check(p.screen(), cols);
          return re.test(text) ? text : undefined;
        },
        { intervalMs: 50, what: `${what} on the screen` },
      );

    const running = await screenMatches(/claude\s+running\s+\d+:\d\d \(\d+:\d\d left\) \d+ tok \$[\d.]+ work/, 'claude running');
    expect(running).toMatch(/\d+\/1 assignments done · \$\d/);
    // the bottom line names the dashboard (the whole URL when it fits; the URL line above has it all)
    expect(running).toMatch(/assignments done · \$[\d.]+ · dashboard (http:\/\/)?127\.0\.0\.1:\d+/);

    const id = path.basename(h.sessionDir());
    expect((await h.run(['ctl', id, 'pause', '--agent', 'claude'])).code).toBe(0);
    await screenMatches(/‖ claude\s+paused/, 'claude paused');
    expect((await h.run(['ctl', id, 'resume', '--agent', 'claude'])).code).toBe(0);
    await screenMatches(/claude\s+running/, 'claude running again');

    const reviewing = await screenMatches(/codex\s+reviewing .*review #\d+ of claude\/work/, 'the review as a review');
    expect(reviewing).not.toMatch(/codex\s+running/);
    const end = await until(() => (/EXIT=\d+/.test(p.screen().join('\n')) ? p.screen().join('\n') : undefined), {
      what: 'the end',
    });
    expect(end).toContain('EXIT=0');

    const all = p.history();
    // the live view's lines; the summary printed after it keeps whole paths and commands (they may wrap)
    const summaryAt = all.findIndex((l) => l.startsWith(`Session ${id}:`));
    expect(summaryAt).toBeGreaterThan(0);
    for (const line of all.slice(0, summaryAt)) expect(textWidth(line), `wider than ${cols}: ${line}`).toBeLessThanOrEqual(cols);
    // the live block is erased at every redraw and at the end: none of it is left
    expect(all.filter((l) => SPINNER.test(l) || BOTTOM.test(l))).toEqual([]);
    // review runs are named as reviews, never as a bare exit of the reviewer
    expect(all.some((l) => /codex review #\d+ review run ended/.test(l))).toBe(true);
    expect(all.some((l) => /codex\s+exited with code 0/.test(l))).toBe(false);
    expect(all.some((l) => /claude\s+paused \(\d+ process/.test(l))).toBe(true);
  });
});
