// The import graph of src/ has no circle: every module can be read, and tested, before the modules
// that use it; and no folder depends on a folder that depends on it. (Folder boundaries are lint rules: eslint.config.js.)
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../../src/', import.meta.url));

/** Every .ts file under `dir`, absolute. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

/** One relative import, resolved to a .ts path; `typeOnly` when TypeScript erases it. */
export interface ImportEdge {
  to: string;
  typeOnly: boolean;
}

/** Relative imports of one file (static, `export … from` and dynamic). */
export function importsOf(file: string, text: string): ImportEdge[] {
  const specs = [...text.matchAll(/(?:import|export)\s([^'"]*?)from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g)];
  return specs.map((m) => ({
    to: path.resolve(path.dirname(file), (m[2] ?? m[3])!).replace(/\.js$/, '.ts'),
    typeOnly: m[1] !== undefined && isTypeOnly(m[1]),
  }));
}

/** `type { A }`, or `{ type A, type B }`: nothing of the module is loaded at run time. */
function isTypeOnly(clause: string): boolean {
  const c = clause.trim();
  if (c.startsWith('type ')) return true;
  const named = /^\{([^}]*)\}$/.exec(c);
  return named !== null && named[1]!.split(',').every((n) => n.trim() === '' || n.trim().startsWith('type '));
}

/** The folder of src/ a file belongs to (`.` for files at the top). */
function folderOf(file: string): string {
  return path.relative(SRC, file).split(path.sep).slice(0, -1)[0] ?? '.';
}

/** The circles of a graph (strongly connected components with more than one node, or a self-loop). */
export function circles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('the import graph of src/', () => {
  it('finds a circle when there is one (the check itself can fail)', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(circles(graph)).toEqual([['a', 'b', 'c']]);
    expect(
      circles(
        new Map([
          ['a', ['b']],
          ['b', []],
        ]),
      ),
    ).toEqual([]);
  });

  it('reads static, re-exported and dynamic imports, and which are erased types', () => {
    const text =
      "import { a } from './a.js';\nimport type { B } from '../b/b.js';\nexport { c } from './c.js';\nconst d = await import('./d.js');\n" +
      "import x from 'zod';\nimport { type E, type F } from './e.js';\nimport { g, type G } from './g.js';\nexport type { H } from './h.js';";
    expect(importsOf('/src/x/y.ts', text)).toEqual([
      { to: '/src/x/a.ts', typeOnly: false },
      { to: '/src/b/b.ts', typeOnly: true },
      { to: '/src/x/c.ts', typeOnly: false },
      { to: '/src/x/d.ts', typeOnly: false },
      { to: '/src/x/e.ts', typeOnly: true },
      { to: '/src/x/g.ts', typeOnly: false },
      { to: '/src/x/h.ts', typeOnly: true },
    ]);
  });

  const files = sources(SRC);
  const edges = new Map(files.map((f) => [f, importsOf(f, readFileSync(f, 'utf8'))]));

  // A circle of modules loaded at run time makes load order matter (a value read before its
  // module ran). Circles of erased type imports inside one folder cost nothing at run time; the
  // filter's shell model (scope, words, commands) is one such web of types.
  it('has no circle of modules loaded at run time', () => {
    const graph = new Map([...edges].map(([f, e]) => [f, e.filter((i) => !i.typeOnly).map((i) => i.to)]));
    expect(circles(graph).map((c) => c.map((f) => path.relative(SRC, f)))).toEqual([]);
  });

  it('has no circle between folders, types included', () => {
    const graph = new Map<string, string[]>();
    for (const [f, e] of edges) {
      const from = folderOf(f);
      const to = e.map((i) => folderOf(i.to)).filter((t) => t !== from && t !== '.');
      graph.set(from, [...new Set([...(graph.get(from) ?? []), ...to])]);
    }
    expect(circles(graph)).toEqual([]);
  });
});
