#!/usr/bin/env node
// A stand-in claude for the scale benchmark: answers --version like claude, then prints the
// recorded stream in STREAM_FILE at STREAM_RATE lines a second (in ticks of 50 ms) and exits 0.
import { readFileSync } from 'node:fs';

if (process.argv.includes('--version')) {
  process.stdout.write('2.1.330 (Claude Code)\n');
  process.exit(0);
}
const lines = readFileSync(process.env.STREAM_FILE, 'utf8').split('\n').filter(Boolean);
const perTick = Math.max(1, Math.round(Number(process.env.STREAM_RATE ?? 200) / 20));
let i = 0;
const tick = setInterval(() => {
  const chunk = lines.slice(i, i + perTick);
  i += chunk.length;
  if (chunk.length) process.stdout.write(`${chunk.join('\n')}\n`);
  if (i >= lines.length) {
    clearInterval(tick);
    process.stdout.end(() => process.exit(0));
  }
}, 50);
