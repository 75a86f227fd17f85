import { spinners } from 'ora';
import pc from 'picocolors';
import type { JournalEntry } from '../session/journal-entry.js';
import { describeEntry } from './describe-entry.js';
import { fitWidth, oneLine, textWidth } from './fit-width.js';
import { LiveState, type LiveRow } from './live-state.js';

const PERSISTENT = new Set([
  'session.started',
  'safety.sandbox_off',
  'plan.created',
  'assignment.started',
  'agent.report',
  'agent.permission_denied',
  'safety.violation',
  'safety.confirm_answered',
  'agent.paused',
  'agent.resumed',
  'recovery.parked',
  'recovery.unparked',
  'budget.reached',
  'review.verdict',
  'review.decision',
  'session.blocker',
  'agent.stopping',
  'agent.exited',
  'assignment.skipped',
  'session.error',
  'session.completed',
]);

/** A piece of a line and how to colour it; colour is applied after the plain text is fitted to the width. */
type Part = [text: string, paint?: (s: string) => string];

/**
 * The live terminal view (stdout is a TTY): the important events as lines that stay, and below
 * them a block redrawn in place: one line per agent run (state, elapsed, budget left, tokens,
 * cost, last action; reviews as reviews) and a bottom line with progress, cost and the dashboard.
 * No line is wider than the terminal, so the block never wraps and every redraw erases exactly
 * what the previous one drew.
 */
export class TtyRenderer {
  private readonly state = new LiveState();
  /** Rows the block occupies on screen now (lines drawn at the width they were drawn for). */
  private drawn: { lines: number[]; width: number } = { lines: [], width: 0 };
  private frame = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly spinner = spinners.dots;
  private url: string | undefined;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly verbose: boolean,
    private readonly now: () => number = Date.now, // injected for tests
  ) {}

  /** The dashboard's URL, for the bottom line. */
  setDashboardUrl(url: string): void {
    this.url = url;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.frame = (this.frame + 1) % this.spinner.frames.length;
      this.redraw();
    }, this.spinner.interval);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.out.write(this.eraseBlock());
  }

  /** Feeds one journal entry. */
  onEntry = (e: JournalEntry): void => {
    this.state.apply(e);
    if (PERSISTENT.has(e.type) || (this.verbose && e.type !== 'agent.usage')) {
      const text = describeEntry(e);
      // Printing erases the block, so draw it again in the same write; otherwise the timer redraws
      // it (an agent emitting hundreds of events a second must not cost a terminal write each).
      if (text !== undefined) this.redraw(this.format(e, text));
    }
  };

  private width(): number {
    return Math.max(20, this.out.columns || 100);
  }

  /** A persistent line: time, who (a review run says so), what; cut to the width. */
  private format(e: JournalEntry, text: string): string {
    const review = e['role'] === 'review' && typeof e['review'] === 'number' ? ` review #${e['review']}` : '';
    const who = e.agent ? `${e.agent}${review}` : '';
    const bad =
      (e.type === 'agent.exited' && e['status'] !== 'succeeded' && !review) || e.type === 'session.blocker' || e.type === 'session.error';
    const warn =
      e.type.startsWith('safety') || e.type === 'agent.permission_denied' || e.type === 'agent.paused' || e.type === 'recovery.parked';
    const what = review && e.type === 'agent.exited' ? `review run ended (${String(e['status'])})` : text;
    return this.fit([
      [`${e.time.slice(11, 19)} `, pc.dim],
      [who ? `${who.padEnd(6)} ` : '', pc.bold],
      [what, bad ? pc.red : warn ? pc.yellow : undefined],
    ]);
  }

  /** Fits parts into one line of at most width-1 columns (the last column would make some terminals wrap). */
  private fit(parts: Part[]): string {
    let room = this.width() - 1;
    let out = '';
    for (const [raw, paint] of parts) {
      if (room <= 0) break;
      const text = fitWidth(oneLine(raw), room);
      room -= textWidth(text);
      out += paint && text ? paint(text) : text;
    }
    return out;
  }

  private row(r: LiveRow): string {
    const now = this.now();
    const elapsed = clock(now - r.since);
    const left = r.budgetMs !== undefined ? r.budgetMs - (now - r.since) : undefined;
    const state = r.state === 'parked' && r.until ? `parked until ${r.until.slice(11, 19)}` : r.state;
    const paint = r.state === 'paused' || r.state === 'parked' ? pc.yellow : r.state === 'reviewing' ? pc.magenta : pc.cyan;
    const what = r.review !== undefined ? `review #${r.review} of ${r.author ? `${r.author}/` : ''}${r.assignment}` : r.assignment;
    const icon = r.state === 'paused' ? '‖' : r.state === 'parked' ? '…' : (this.spinner.frames[this.frame] ?? '*');
    return this.fit([
      [`${icon} `, paint],
      [`${r.agent.padEnd(6)} `, pc.bold],
      [`${state.padEnd(9)} `, paint],
      // the figures before the names: on a narrow terminal the names are what gets cut
      [`${elapsed}${left === undefined ? '' : left >= 0 ? ` (${clock(left)} left)` : ` (${clock(-left)} over)`} `],
      // a model without a price: its cost is unknown, said so with the known part as a floor, never $0
      [`${compact(r.tokens)} tok ${r.costUnknown ? `$? (≥$${r.costUsd.toFixed(4)})` : `$${r.costUsd.toFixed(4)}`} `, pc.dim],
      [`${what} `],
      [r.last, pc.dim],
    ]);
  }

  private bottom(): string {
    const s = this.state;
    const width = this.width() - 1;
    const spent = s.costUnknown ? `cost unknown (≥$${s.costUsd.toFixed(4)})` : `$${s.costUsd.toFixed(4)}`;
    const cost = `${spent}${s.ceilings.costUsd !== undefined ? ` of $${s.ceilings.costUsd}` : ''}`;
    const tokens = s.ceilings.tokens !== undefined ? ` · ${compact(s.tokens)} of ${compact(s.ceilings.tokens)} tok` : '';
    const head = `${s.done.size}/${s.total || '?'} assignments done · ${cost}${tokens}`;
    let url = '';
    if (this.url) {
      const full = ` · dashboard ${this.url}`;
      url =
        textWidth(head) + textWidth(full) <= width ? full : ` · dashboard ${this.url.replace(/^http:\/\/|\/\?token=.*$/g, '')} (URL above)`;
    }
    return this.fit([
      [head, pc.bold],
      [url, pc.dim],
    ]);
  }

  /** Moves up over the block and erases it; the rows a line takes are recounted for a terminal that got narrower. */
  private eraseBlock(): string {
    const width = this.width();
    const rows = this.drawn.lines.reduce((n, w) => n + Math.max(1, Math.ceil(w / width)), 0);
    this.drawn = { lines: [], width };
    return rows > 0 ? `\u001b[${rows}A\r\u001b[0J` : '';
  }

  /** One write: erase the block, print `line` (if any) above it, draw the block again. */
  private redraw(line?: string): void {
    let text = this.eraseBlock();
    if (line !== undefined) text += `${line}\n`;
    const rows = this.state.visible();
    if (rows.length > 0 || this.state.total > 0) {
      const lines = [...rows.map((r) => this.row(r)), this.bottom()];
      text += lines.map((l) => `${l}\n`).join('');
      this.drawn = { lines: lines.map((l) => textWidth(stripColour(l))), width: this.width() };
    }
    if (text) this.out.write(text);
  }
}

function clock(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : `${m}:${String(s % 60).padStart(2, '0')}`;
}

function compact(n: number): string {
  return n >= 1_000_000 ? `${(n / 1_000_000).toFixed(1)}M` : n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(n);
}

function stripColour(s: string): string {
  return s.replace(/\u001b\[[0-9;]*m/g, '');
}
