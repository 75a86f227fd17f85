// Recorded real claude stream lines (fixtures/streams), repeated to any count, for the ingest and
// scale benchmarks: the lines orchestrate really meets, tool calls and all.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const streamsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'streams');

/** Every recorded claude line except the final `result` (a run has one, at its end). */
export function recordedClaudeLines() {
  const lines = [];
  for (const f of readdirSync(streamsDir)
    .filter((n) => n.startsWith('claude-') && n.endsWith('.jsonl'))
    .sort()) {
    for (const line of readFileSync(path.join(streamsDir, f), 'utf8').split('\n')) {
      if (line.trim() && isJson(line) && JSON.parse(line).type !== 'result') lines.push(line);
    }
  }
  return lines;
}

/** The final line of a successful recorded claude run. */
export function recordedResultLine() {
  const ok = readFileSync(path.join(streamsDir, 'claude-ok.jsonl'), 'utf8').split('\n').filter(Boolean);
  return ok.find((l) => JSON.parse(l).type === 'result');
}

/** Writes `count` recorded lines (and a final result line) to `file`; returns how many lines it holds. */
export function writeRecordedStream(file, count) {
  const lines = recordedClaudeLines();
  const out = [];
  for (let i = 0; i < count - 1; i++) out.push(lines[i % lines.length]);
  out.push(recordedResultLine());
  writeFileSync(file, `${out.join('\n')}\n`);
  return out.length;
}

function isJson(line) {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}
