import { spinners } from 'ora';
import pc from 'picocolors';
import type { JournalEntry } from '../session/journal-entry.js';
import { describeEntry } from './describe-entry.js';

interface AgentLine {
  assignment: string;
  state: string;
  last: string;
}

const PERSISTENT = new Set([
  'session.started',
  'safety.sandbox_off',
  'plan.created',
  'assignment.started',
  'agent.report',
  'agent.permission_denied',
  'safety.violation',
  'agent.stopping',
  'agent.exited',
  'assignment.skipped',
  'session.error',
  'session.completed',
]);

/**
 * The live terminal view: one line per running agent (spinner, state, last action), with the
 * important events printed above it. Only used when stdout is a TTY.
 */
export class TtyRenderer {
  private readonly lines = new Map<string, AgentLine>();
  private drawn = 0;
  private frame = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly spinner = spinners.dots;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly verbose: boolean,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.frame = (this.frame + 1) % this.spinner.frames.length;
      this.redraw();
    }, this.spinner.interval);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.clear();
  }

  /** Feeds one journal entry. */
  onEntry = (e: JournalEntry): void => {
    if (e.agent) this.track(e);
    if (PERSISTENT.has(e.type) || (this.verbose && e.type !== 'agent.usage')) {
      const text = describeEntry(e);
      // Printing clears the live block, so put it back at once; otherwise the timer redraws it
      // (an agent emitting hundreds of events a second must not cost a terminal write each).
      if (text !== undefined) {
        this.print(this.format(e, text));
        this.redraw();
      }
    }
  };

  private track(e: JournalEntry): void {
    const agent = String(e.agent);
    const line = this.lines.get(agent) ?? { assignment: String(e.assignment ?? ''), state: 'starting', last: '' };
    if (e.type === 'assignment.started') Object.assign(line, { assignment: String(e.assignment), state: 'starting', last: '' });
    if (e.type === 'agent.launched') line.state = 'running';
    if (e.type === 'agent.exited') line.state = String(e['status']);
    if (e.type === 'agent.tool_call' || e.type === 'agent.message' || e.type === 'agent.report') line.last = describeEntry(e) ?? line.last;
    if (e.type === 'agent.probe') return;
    this.lines.set(agent, line);
  }

  private format(e: JournalEntry, text: string): string {
    const who = e.agent ? `${pc.bold(String(e.agent).padEnd(6))} ` : '';
    const colour = e.type === 'agent.exited' && e['status'] !== 'succeeded' ? pc.red : e.type.startsWith('safety') || e.type === 'agent.permission_denied' ? pc.yellow : (s: string) => s;
    return `${pc.dim(e.time.slice(11, 19))} ${who}${colour(text)}`;
  }

  private print(line: string): void {
    this.clear();
    this.out.write(`${line}\n`);
  }

  private clear(): void {
    if (this.drawn > 0) this.out.write(`\u001b[${this.drawn}A\u001b[0J`);
    this.drawn = 0;
  }

  private redraw(): void {
    this.clear();
    const running = [...this.lines].filter(([, l]) => l.state === 'running' || l.state === 'starting');
    if (running.length === 0) return;
    const width = this.out.columns || 100;
    const text = running
      .map(([agent, l]) => `${pc.cyan(this.spinner.frames[this.frame] ?? '*')} ${pc.bold(agent.padEnd(6))} ${l.state.padEnd(8)} ${pc.dim(l.last)}`.slice(0, width + 40))
      .join('\n');
    this.out.write(`${text}\n`);
    this.drawn = running.length;
  }
}
