// The command filter's folder reads top-down: classifiers never import the walker or the runner
// back (they call exec.ts), and no runtime import circle exists. Type-only imports do not count.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dir = fileURLToPath(new URL('../../../../src/safety/command-filter/', import.meta.url));
const policyDir = fileURLToPath(new URL('../../../../src/safety/policy/', import.meta.url));

function runtimeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^import\s+(type\s+)?[^;]*?from\s+'(\.[^']+)';/gm)]
    .filter((m) => m[1] === undefined)
    .map((m) => path.normalize(path.join(path.dirname(file), (m[2] ?? '').replace(/\.js$/, '.ts'))));
}

const files = [dir, policyDir].flatMap((d) =>
  readdirSync(d)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(d, f)),
);
const graph = new Map(files.map((f) => [f, runtimeImports(f)]));

describe('command filter structure', () => {
  it('has no runtime import circle', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (f: string, stack: string[]): void => {
      state.set(f, 'open');
      for (const d of graph.get(f) ?? []) {
        if (state.get(d) === 'open') cycles.push([...stack.slice(stack.indexOf(d)), d].map((x) => path.basename(x)).join(' -> '));
        else if (state.get(d) === undefined && graph.has(d)) visit(d, [...stack, d]);
      }
      state.set(f, 'done');
    };
    for (const f of files) if (state.get(f) === undefined) visit(f, [f]);
    expect(cycles).toEqual([]);
  });

  it('classifier files (cmd-*.ts) import neither the walker nor the runner', () => {
    const bad = files
      .filter((f) => path.basename(f).startsWith('cmd-'))
      .flatMap((f) =>
        (graph.get(f) ?? []).filter((d) => /(?:walker|run|classify)\.ts$/.test(d)).map((d) => `${path.basename(f)} -> ${path.basename(d)}`),
      );
    expect(bad).toEqual([]);
  });
});
