/**
 * The character offset, in valid JSON `text`, of the value at `path` (object keys and array
 * indexes, as a zod issue names them), or of the deepest part of it that exists (a missing
 * field: its object), so an invalid field is reported with its line, not only its name. Pure.
 */
export function jsonPathOffset(text: string, path: readonly PropertyKey[]): number {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const string = (): string => {
    const start = i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  /** Steps over the value at `i` (and the whitespace before it). */
  const value = (): void => {
    ws();
    const open = text[i];
    if (open === '"') return void string();
    if (open !== '{' && open !== '[') {
      while (i < text.length && !',]} \t\n\r'.includes(text[i]!)) i++; // number, true, false, null
      return;
    }
    i++;
    ws();
    if (text[i] === (open === '{' ? '}' : ']')) return void i++;
    for (;;) {
      if (open === '{') member();
      value();
      ws();
      if (text[i++] !== ',') return; // the closing bracket
    }
  };
  /** Reads `"key":` and the whitespace after it; returns the key. */
  const member = (): string => {
    ws();
    const key = string();
    ws();
    i++; // ':'
    ws();
    return key;
  };
  ws();
  let found = i;
  for (const step of path) {
    const open = text[i];
    if (open !== '{' && open !== '[') break;
    i++;
    ws();
    let hit = false;
    for (let n = 0; i < text.length && text[i] !== '}' && text[i] !== ']'; n++) {
      if (open === '{' ? member() === String(step) : n === Number(step)) {
        hit = true;
        break;
      }
      value();
      ws();
      if (text[i] === ',') i++;
      ws();
    }
    if (!hit) break;
    found = i;
  }
  return found;
}
