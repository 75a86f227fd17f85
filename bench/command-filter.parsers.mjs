#!/usr/bin/env node
// Parser choice for the command filter: correctness on bash constructs that hide commands,
// and parse speed, for mvdan-sh and the alternatives. The alternatives are not dependencies:
//   mkdir /tmp/pe && cd /tmp/pe && npm i --ignore-scripts mvdan-sh @ericcornelissen/bash-parser \
//     web-tree-sitter tree-sitter-bash sh-syntax
//   PARSER_EVAL_DIR=/tmp/pe node bench/command-filter.parsers.mjs
// Each case lists the simple-command names a correct parser must expose (order ignored).
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const dir = process.env.PARSER_EVAL_DIR ?? process.cwd();
const require = createRequire(`${dir}/`);
const hr = () => performance.now();

export const CASES = [
  ['heredoc (quoted delimiter, data)', "cat <<'EOF' > f\nrm -rf /\nEOF\nls", ['cat', 'ls']],
  ['heredoc with $(…) inside', 'cat <<EOF\n$(whoami)\nEOF\necho ok', ['cat', 'echo', 'whoami']],
  ['heredoc <<- with tabs', 'cat <<-EOF\n\tls\n\tEOF\necho done', ['cat', 'echo']],
  ['two heredocs on one line', 'cat <<A; cat <<B\nx\nA\ny\nB\npwd', ['cat', 'cat', 'pwd']],
  ['heredoc inside $(…)', 'x=$(cat <<EOF\nhello\nEOF\n); echo $x', ['cat', 'echo']],
  ['$(…)', 'echo $(rm -rf x)', ['echo', 'rm']],
  ['nested $( $( ) )', 'echo $(dirname $(which rm))', ['dirname', 'echo', 'which']],
  ['backticks', 'echo `id -u`', ['echo', 'id']],
  ['backticks nested in $(…)', 'echo $(echo `date`)', ['date', 'echo', 'echo']],
  ['process substitution <( ) >( )', 'diff <(ls a) >(wc -l)', ['diff', 'ls', 'wc']],
  ['nested quotes', 'echo "a $(printf \'%s\' "b \\"c\\"") d"', ['echo', 'printf']],
  ['single-quoted $(…) is data', "echo '$(rm -rf /)'", ['echo']],
  ['escaped $(…) is data', 'echo "\\$(rm -rf /)" \\$\\(id\\)', ['echo']],
  ['${x:-$(…)}', 'echo "${x:-$(id)}"', ['echo', 'id']],
  ['function definition', 'f() { rm -rf x; }; f', ['f', 'rm']],
  ['function keyword', 'function g { ls; }', ['ls']],
  ['fork bomb', ':(){ :|:& };:', [':', ':', ':']],
  ['case', 'case $x in a) rm a;; b|c) ls;; esac', ['ls', 'rm']],
  ['arithmetic $(( )) and (( ))', 'echo $(( (1+2) * 3 )); (( x++ ))', ['echo']],
  ['arithmetic with <<', 'echo $(( 1 << 2 ))', ['echo']],
  [
    'for / while / < <(…)',
    'for i in 1 2; do echo $i; done; while read l; do echo "$l"; done < <(find .)',
    ['echo', 'echo', 'find', 'read'],
  ],
  ['if/elif/else', 'if grep -q x f; then rm f; elif true; then :; else ls; fi', [':', 'grep', 'ls', 'rm', 'true']],
  ['lists and pipes', 'a && b || c | d; e &', ['a', 'b', 'c', 'd', 'e']],
  ['subshell and group', '( cd a && make ) ; { ls; }', ['cd', 'ls', 'make']],
  ['[[ ]] with $(…)', '[[ $(id) == x ]]', ['id']],
  ['assignment prefix with $(…)', 'x=$(ls) y=2 env', ['env', 'ls']],
  ['comment', 'ls # rm -rf /', ['ls']],
  ['line continuation', 'rm \\\n -rf x', ['rm']],
  ['ANSI-C quoting', "echo $'a\\'b' && ls", ['echo', 'ls']],
  ['here-string', 'bash <<< "rm -rf /"', ['bash']],
];

async function candidates() {
  const out = [];
  try {
    const t = hr();
    const { syntax } = require('mvdan-sh');
    const p = syntax.NewParser();
    const load = hr() - t;
    const names = (src) => {
      const out = [];
      const walk = (v) => {
        if (v === null || typeof v !== 'object') return;
        const go = v.constructor?.string;
        if (typeof go === 'string' && go.startsWith('[]')) {
          for (let i = 0; i < v.$length; i++) walk(v.$array[v.$offset + i]);
          return;
        }
        if (go === '*syntax.CallExpr' && v.Args.$length > 0) {
          const w = v.Args.$array[v.Args.$offset];
          out.push(Array.from({ length: w.Parts.$length }, (_, i) => w.Parts.$array[w.Parts.$offset + i].Value ?? '').join(''));
        }
        if (typeof go !== 'string' || !go.startsWith('*syntax.')) return;
        for (const k of Object.keys(v)) if (k !== '$val') walk(v[k]);
      };
      walk(p.Parse(src, '').__internal_object__);
      return out;
    };
    out.push({ name: 'mvdan-sh (GopherJS, sync)', load, names });
  } catch (e) {
    out.push({ name: 'mvdan-sh', error: String(e.message) });
  }
  try {
    const t = hr();
    const bp = require('@ericcornelissen/bash-parser');
    const load = hr() - t;
    const names = (src) => {
      const out = [];
      const walk = (n) => {
        if (Array.isArray(n)) return n.forEach(walk);
        if (!n || typeof n !== 'object') return;
        if (n.type === 'Command' && n.name) out.push(n.name.text);
        for (const [k, v] of Object.entries(n)) if (k !== 'loc') walk(v);
      };
      walk(bp(src));
      return out;
    };
    out.push({ name: '@ericcornelissen/bash-parser', load, names });
  } catch (e) {
    out.push({ name: '@ericcornelissen/bash-parser', error: String(e.message) });
  }
  try {
    const t = hr();
    const { Parser, Language } = await import(pathToFileURL(require.resolve('web-tree-sitter')).href);
    await Parser.init();
    const lang = await Language.load(require.resolve('tree-sitter-bash/tree-sitter-bash.wasm'));
    const parser = new Parser();
    parser.setLanguage(lang);
    const load = hr() - t;
    const names = (src) => {
      const tree = parser.parse(src);
      const out = [];
      const walk = (n) => {
        if (n.type === 'command') {
          const nm = n.childForFieldName('name');
          if (nm) out.push(nm.text);
        }
        for (const c of n.namedChildren) walk(c);
      };
      walk(tree.rootNode);
      const bad = tree.rootNode.hasError;
      tree.delete();
      if (bad) throw new Error('ERROR node in tree');
      return out;
    };
    out.push({ name: 'web-tree-sitter + tree-sitter-bash (WASM, async init)', load, names });
  } catch (e) {
    out.push({ name: 'web-tree-sitter + tree-sitter-bash', error: String(e.message) });
  }
  return out;
}

const rows = [];
for (const c of await candidates()) {
  if (c.error) {
    rows.push({ name: c.name, error: c.error });
    continue;
  }
  const fails = [];
  for (const [label, src, exp] of CASES) {
    let got;
    try {
      got = c.names(src).sort();
    } catch (e) {
      got = `ERR ${String(e?.message ?? e?.Error?.() ?? e)
        .split('\n')[0]
        .slice(0, 70)}`;
    }
    if (JSON.stringify(got) !== JSON.stringify([...exp].sort())) fails.push(`${label}: ${JSON.stringify(got)}`);
  }
  const srcs = CASES.map((x) => x[1]);
  const safe = (s) => {
    try {
      c.names(s);
    } catch {
      /* counted above */
    }
  };
  for (let i = 0; i < 200; i++) srcs.forEach(safe);
  const n = 1000;
  const t0 = hr();
  for (let i = 0; i < n; i++) srcs.forEach(safe);
  rows.push({
    name: c.name,
    loadMs: Number(c.load.toFixed(1)),
    correct: `${CASES.length - fails.length}/${CASES.length}`,
    usPerParse: Number((((hr() - t0) * 1000) / (n * srcs.length)).toFixed(1)),
    fails,
  });
}
try {
  const { parse } = await import(pathToFileURL(require.resolve('sh-syntax')).href);
  const t = hr();
  const ast = await parse('echo $(ls) | wc');
  const hasCmd = JSON.stringify(ast).includes('"Args"');
  const n = 50;
  const t1 = hr();
  for (let i = 0; i < n; i++)
    for (const [, src] of CASES) {
      try {
        await parse(src);
      } catch {
        /* */
      }
    }
  rows.push({
    name: 'sh-syntax (Go WASM, async)',
    firstParseMs: Number((t1 - t).toFixed(1)),
    usPerParse: Number((((hr() - t1) * 1000) / (n * CASES.length)).toFixed(1)),
    note: hasCmd ? 'AST has command nodes' : 'AST JSON drops command contents (Cmd is {Pos,End})',
  });
} catch (e) {
  rows.push({ name: 'sh-syntax', error: String(e.message) });
}
console.log(JSON.stringify(rows, null, 1));
