// Reaction from the first command of a fresh session: a block-class command in the stream to the
// agent's death, each sample a new supervisor process (bench/reaction-session.mjs), orchestrate
// and a minimal Node supervisor alternating in the same command. Bar: orchestrate's median <= 10
// ms and <= 3x the minimal one's, p90 <= 20 ms.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'reaction-session.mjs');

export function runReactionFresh({ sessions = 30, command = 'rm -rf ../*' } = {}) {
  const samples = { orchestrate: [], minimal: [], cold: [], recorded: [] };
  for (let i = 0; i < sessions; i++) {
    for (const mode of ['minimal', 'orchestrate', 'cold']) {
      const [died, recorded] = execFileSync(process.execPath, [script, mode, command], { encoding: 'utf8' }).trim().split(' ').map(Number);
      samples[mode].push(died / 1000);
      if (mode === 'orchestrate') samples.recorded.push(recorded / 1000);
    }
  }
  const at = (xs, p) => {
    const s = [...xs].sort((a, b) => a - b);
    return Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))] * 100) / 100;
  };
  const o = { p50: at(samples.orchestrate, 0.5), p90: at(samples.orchestrate, 0.9) };
  const m = { p50: at(samples.minimal, 0.5), p90: at(samples.minimal, 0.9) };
  const c = { p50: at(samples.cold, 0.5), p90: at(samples.cold, 0.9) };
  const r = { p50: at(samples.recorded, 0.5), p90: at(samples.recorded, 0.9) };
  return {
    benchmark: 'reaction-fresh-session',
    sessions,
    command,
    orchestrateMs: o,
    minimalSupervisorMs: m,
    medianRatio: Math.round((o.p50 / m.p50) * 100) / 100,
    unwarmedMs: c,
    orchestrateRunRecordedMs: r,
    loadAverage: os.loadavg().map((l) => Math.round(l * 10) / 10),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(runReactionFresh()));
