import { readFileSync } from 'node:fs';
import { writeJsonAtomic } from '../../session/atomic-write.js';
import type { OpenQuestion, QuestionBoard } from './question-board.js';

/**
 * Mirrors the run's open questions into the session's `questions.json` on every change, so a
 * dashboard in another process (`orchestrate dashboard`) can show them; it answers through the
 * control files (`answer` requests). Returns the function that stops mirroring.
 */
export function publishQuestions(board: QuestionBoard, file: string, onError: (error: Error) => void): () => void {
  const write = (): void => {
    try {
      writeJsonAtomic(file, board.list());
    } catch (error) {
      onError(error as Error);
    }
  };
  write();
  return board.subscribe(write);
}

/** The questions a session's `questions.json` lists (none when it is missing or unreadable). */
export function readQuestions(file: string): OpenQuestion[] {
  try {
    const list = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return Array.isArray(list) ? (list as OpenQuestion[]).filter((q) => typeof q?.id === 'string' && typeof q.question === 'string') : [];
  } catch {
    return [];
  }
}
