import { describe, expect, it } from 'vitest';
import { jsonErrorOffset } from '../../../src/config/json-error-offset.js';
import { lineColumn, parseJsonFile } from '../../../src/config/parse-json.js';

describe('jsonErrorOffset', () => {
  it.each([
    ['{"a": 1}', undefined],
    ['[1, 2.5e3, -0, "x\\u00e9", true, false, null, {}]', undefined],
    ['{"a": 1,}', 8],
    ['[1, 2,]', 6],
    ['{"a" 1}', 5],
    ['{"a": tru}', 9],
    ['{"a": "x', 8],
    ['{"a": 1}}', 8],
    ['{"a": 01}', 7],
    ['', 0],
  ])('%j → %s', (text, offset) => {
    expect(jsonErrorOffset(text)).toBe(offset);
    // it agrees with JSON.parse about validity
    expect(() => JSON.parse(text)).toSatisfy((f: () => unknown) => {
      try {
        f();
        return offset === undefined;
      } catch {
        return offset !== undefined;
      }
    });
  });
});

describe('parseJsonFile', () => {
  it('names the file, line and column of the first error', () => {
    expect(() => parseJsonFile('{\n  "a": 1,\n  "b" 2\n}', '/x/c.json', 'fix it')).toThrow('/x/c.json:3:7: not valid JSON');
    expect(() => parseJsonFile('{\n  "a": [1,\n', '/x/c.json', 'fix it')).toThrow('/x/c.json:3:1: not valid JSON');
  });

  it('counts columns from 1', () => {
    expect(lineColumn('ab\ncd', 3)).toEqual({ line: 2, column: 1 });
  });
});
