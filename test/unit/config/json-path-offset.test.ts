import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formatIssues } from '../../../src/config/format-issues.js';
import { jsonPathOffset } from '../../../src/config/json-path-offset.js';
import { parseConfigText } from '../../../src/config/load.js';

// An invalid field is reported with its line: the offset of the value a zod issue names.
const TEXT = '{\n  "a": {"b": [1, {"c": "x,]}"}, 3]},\n  "d": true,\n  "e": null\n}\n';

describe('jsonPathOffset', () => {
  it.each([
    [[], '{\n  "a"'],
    [['a'], '{"b"'],
    [['a', 'b'], '[1, {'],
    [['a', 'b', 0], '1, {'],
    [['a', 'b', 1, 'c'], '"x,]}"'],
    [['a', 'b', 2], '3]}'],
    [['d'], 'true'],
    [['e'], 'null'],
    // what does not exist: the deepest part that does
    [['a', 'zz'], '{"b"'],
    [['a', 'b', 9], '[1, {'],
  ])('%j points at %j', (path, startsWith) => {
    expect(TEXT.slice(jsonPathOffset(TEXT, path))).toMatch(new RegExp(`^${startsWith.replace(/[[\]{}()]/g, '\\$&')}`));
  });
});

describe('formatIssues with the source', () => {
  it('starts each line with file:line:column of the field; an unknown key points at that key', () => {
    const text = '{\n  "n": 1,\n  "list": [\n    "ok",\n    2\n  ],\n  "colour": "red"\n}\n';
    const schema = z.object({ n: z.string(), list: z.array(z.string()) }).strict();
    const result = schema.safeParse(JSON.parse(text));
    expect(result.success).toBe(false);
    const lines = formatIssues(result.error!, 5, { file: 'f.json', text }).split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/^ {2}f\.json:2:8: n: /),
      expect.stringMatching(/^ {2}f\.json:5:5: list\.1: /),
      expect.stringMatching(/^ {2}f\.json:7:13: \(top level\): /),
    ]);
  });

  it('a config field of the wrong type, and a bad duration, name their line (comments do not move it)', () => {
    const config = '{\n  // the reviews\n  "review": {\n    "maxRounds": "two"\n  }\n}\n';
    expect(() => parseConfigText(config, '/p/orchestrate.config.json')).toThrow(/\/p\/orchestrate\.config\.json:4:18: review\.maxRounds: /);
    const duration = '{\n  /* budget */ "timeout": "soon"\n}\n';
    expect(() => parseConfigText(duration, 'c.json')).toThrow('c.json:2:27: timeout: not a duration: "soon"');
  });
});
