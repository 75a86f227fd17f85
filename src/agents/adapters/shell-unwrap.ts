/**
 * codex reports every command as the shell invocation it ran, e.g.
 * `/bin/bash -lc 'echo hello > out.txt'`. The safety layer wants the inner command, exactly.
 */
const SHELL_WRAPPER = /^(?:\S*\/)?(?:bash|zsh|sh)\s+-l?c\s+(.+)$/s;

/** Characters a POSIX shell word may hold unquoted without meaning anything special. */
const SAFE_BARE = /^[A-Za-z0-9_@%+=:,./-]$/;

/** Characters a backslash escapes inside double quotes (POSIX). */
const DOUBLE_QUOTE_ESCAPES = '$`"\\\n';

/**
 * Decodes `text` when it is exactly one shell word made of single-quoted parts (`'…'`,
 * including the `'\''` idiom), double-quoted parts without expansions, backslash escapes and
 * safe bare characters. Anything else (two words, `$VAR`, an open quote) gives undefined.
 */
export function decodeShellWord(text: string): string | undefined {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return undefined;
      out += text.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      i += 1;
      for (;;) {
        if (i >= text.length) return undefined;
        const d = text.charAt(i);
        if (d === '"') {
          i += 1;
          break;
        }
        if (d === '\\' && i + 1 < text.length && DOUBLE_QUOTE_ESCAPES.includes(text.charAt(i + 1))) {
          const escaped = text.charAt(i + 1);
          if (escaped !== '\n') out += escaped; // backslash-newline is a line continuation
          i += 2;
          continue;
        }
        if (d === '$' || d === '`') return undefined; // an expansion, not a literal
        out += d;
        i += 1;
      }
    } else if (c === '\\') {
      if (i + 1 >= text.length) return undefined;
      const escaped = text.charAt(i + 1);
      if (escaped !== '\n') out += escaped;
      i += 2;
    } else if (SAFE_BARE.test(c)) {
      out += c;
      i += 1;
    } else {
      return undefined;
    }
  }
  return out;
}

/**
 * The command inside a `bash -lc '<cmd>'` wrapper, or `command` unchanged when it is not
 * exactly such a wrapper (so nothing is ever lost, only unwrapped when unambiguous).
 */
export function unwrapShellCommand(command: string): string {
  const match = SHELL_WRAPPER.exec(command.trim());
  const word = match?.[1];
  if (word === undefined) return command;
  return decodeShellWord(word) ?? command;
}
