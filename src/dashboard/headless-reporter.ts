import type { JournalEntry } from '../session/journal-entry.js';
import { describeEntry } from './describe-entry.js';

/** Plain timestamped lines, no colours or escape codes: for CI logs and pipes. */
export function createHeadlessReporter(write: (line: string) => void, verbose: boolean): (e: JournalEntry) => void {
  return (e) => {
    if (!verbose && (e.type === 'agent.tool_result' || e.type === 'agent.session' || e.type === 'agent.launched')) return;
    const text = describeEntry(e);
    if (text === undefined) return;
    const who = e.agent ? `${e.agent.padEnd(6)} ` : '';
    write(`${e.time} ${who}${text}`);
  };
}
