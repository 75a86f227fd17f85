import { randomBytes } from 'node:crypto';

/** What kind of question a person is asked: a confirm-class command, or an escalation (review or recovery). */
export type QuestionKind = 'confirm' | 'escalation';

/** One open question as the dashboard shows it. */
export interface OpenQuestion {
  id: string;
  kind: QuestionKind;
  /** One line, e.g. `allow this command for claude?`. */
  question: string;
  /** What is asked about (the command, the review's verdict). */
  detail?: string;
  askedAt: string;
}

export type BoardAnswer = 'yes' | 'no';

interface Pending extends OpenQuestion {
  resolve: (answer: BoardAnswer | 'withdrawn') => void;
}

/**
 * The questions a running session has open for a person, so the dashboard can answer them as a
 * second answerer beside the terminal. `ask` resolves with the first answer given here, or
 * `withdrawn` when the asker's signal aborts (the terminal answered first, or nobody waits any more).
 */
export class QuestionBoard {
  private readonly open = new Map<string, Pending>();
  private readonly listeners = new Set<() => void>();
  /** Told about each answer given here (the run journals it as `dashboard.answered`). */
  onAnswer: ((q: OpenQuestion, answer: BoardAnswer) => void) | undefined;

  constructor(private readonly now: () => number = Date.now) {}

  ask(q: { kind: QuestionKind; question: string; detail?: string }, signal?: AbortSignal): Promise<BoardAnswer | 'withdrawn'> {
    if (signal?.aborted) return Promise.resolve('withdrawn');
    return new Promise((resolve) => {
      const id = randomBytes(6).toString('hex');
      const done = (answer: BoardAnswer | 'withdrawn'): void => {
        if (!this.open.delete(id)) return;
        signal?.removeEventListener('abort', onAbort);
        this.changed();
        resolve(answer);
      };
      const onAbort = (): void => done('withdrawn');
      this.open.set(id, {
        id,
        kind: q.kind,
        question: q.question,
        ...(q.detail ? { detail: q.detail } : {}),
        askedAt: new Date(this.now()).toISOString(),
        resolve: done,
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      this.changed();
    });
  }

  /** The open questions, oldest first. */
  list(): OpenQuestion[] {
    return [...this.open.values()].map(({ resolve: _resolve, ...q }) => q);
  }

  /** Answers one question; false when it is not open (already answered elsewhere, withdrawn, unknown). */
  answer(id: string, answer: BoardAnswer): boolean {
    const q = this.open.get(id);
    if (!q) return false;
    const { resolve, ...open } = q;
    this.onAnswer?.(open, answer);
    resolve(answer);
    return true;
  }

  /** Told whenever a question opens or closes; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}
