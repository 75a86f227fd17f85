// Ingest benchmark: the recorded real streams replayed many times through parse, normalise and
// journal (a real events.jsonl on disk), against a bare JSON.parse of the same lines in the same run.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getAdapter } from '../dist/agents/registry.js';
import { Journal } from '../dist/session/journal.js';
import { systemClock } from '../dist/clock.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const streamsDir = path.join(root, 'fixtures', 'streams');
const streams = readdirSync(streamsDir)
  .filter((f) => f.endsWith('.jsonl'))
  .map((f) => ({ agent: f.split('-')[0], lines: readFileSync(path.join(streamsDir, f), 'utf8').split('\n').filter(Boolean) }))
  .filter((s) => s.lines.length > 0);

export function runIngest({ repetitions = 300, rounds = 5 } = {}) {
  const lineCount = streams.reduce((n, s) => n + s.lines.length, 0) * repetitions;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-ingest-'));
  const best = { pipeline: Infinity, baseline: Infinity };
  let events = 0;
  for (let round = 0; round < rounds; round++) {
    // baseline: JSON.parse only
    let t = process.hrtime.bigint();
    let sink = 0;
    for (let r = 0; r < repetitions; r++) for (const s of streams) for (const line of s.lines) sink += JSON.parse(line) ? 1 : 0;
    best.baseline = Math.min(best.baseline, Number(process.hrtime.bigint() - t) / 1e6);
    if (sink !== lineCount) throw new Error('baseline miscounted');

    // pipeline: adapter parser → normalised events → journal line on disk
    const journal = new Journal(path.join(dir, `events-${round}.jsonl`), systemClock);
    events = 0;
    t = process.hrtime.bigint();
    for (let r = 0; r < repetitions; r++) {
      for (const s of streams) {
        const parser = getAdapter(s.agent).createParser();
        for (const line of s.lines)
          for (const e of parser.parseLine(line)) {
            journal.append({ ...e, agent: s.agent, assignment: 'bench' });
            events++;
          }
        for (const e of parser.flush()) {
          journal.append({ ...e, agent: s.agent, assignment: 'bench' });
          events++;
        }
      }
    }
    best.pipeline = Math.min(best.pipeline, Number(process.hrtime.bigint() - t) / 1e6);
    journal.close();
  }
  rmSync(dir, { recursive: true, force: true });
  return {
    benchmark: 'ingest',
    recordedStreams: streams.length,
    lines: lineCount,
    events,
    pipelineMs: round1(best.pipeline),
    baselineJsonParseMs: round1(best.baseline),
    eventsPerSecond: Math.round(events / (best.pipeline / 1000)),
    linesPerSecond: Math.round(lineCount / (best.pipeline / 1000)),
    ratioToJsonParse: round1(best.pipeline / best.baseline),
  };
}

function round1(n) {
  return Math.round(n * 10) / 10;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(runIngest()));
