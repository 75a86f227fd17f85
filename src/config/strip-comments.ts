/**
 * JSON with comments (as tsconfig.json and VS Code settings allow): `//` and `/* … *\/` outside
 * strings become spaces, newlines kept, so every other character keeps its offset and an error
 * still names the right line and column. Trailing commas stay errors. Pure.
 */
export function stripJsonComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      // a string, escapes included, copied as is
      let j = i + 1;
      while (j < text.length && text[j] !== '"' && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      out += ' '.repeat(stop - i);
      i = stop;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      // an unclosed comment is left as is: the JSON parser then points at it
      if (end < 0) return out + text.slice(i);
      out += text.slice(i, end + 2).replace(/[^\n]/g, ' ');
      i = end + 2;
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}
