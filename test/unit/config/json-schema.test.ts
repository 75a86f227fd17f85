import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_SCHEMA_FILE, configJsonSchemaText } from '../../../src/config/json-schema.js';
import { parseConfigText } from '../../../src/config/load.js';
import { stripJsonComments } from '../../../src/config/strip-comments.js';

const ROOT = new URL('../../../', import.meta.url);

describe('the shipped JSON Schema of the config', () => {
  it('is what the zod schema generates now (after changing src/config/schema.ts: npm run schema)', () => {
    expect(readFileSync(new URL(CONFIG_SCHEMA_FILE, ROOT), 'utf8')).toBe(configJsonSchemaText());
  });

  it('is in the package', () => {
    const pkg = JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8')) as { files: string[] };
    expect(pkg.files).toContain(CONFIG_SCHEMA_FILE);
  });

  it('says what the loader accepts: comments, no unknown keys', () => {
    const schema = JSON.parse(configJsonSchemaText()) as {
      allowComments: boolean;
      additionalProperties: boolean;
      properties: Record<string, unknown>;
    };
    expect(schema.allowComments).toBe(true);
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['agents', 'timeout', 'sandbox', 'limits', 'review']));
  });
});

describe('comments in the config', () => {
  it('are blanked outside strings, offsets kept', () => {
    const text = '{\n  // a note\n  "timeout": "30m", /* inline */ "killGrace": "5s", "x": "http://a//b /* not */"\n}';
    const stripped = stripJsonComments(text);
    expect(stripped).toHaveLength(text.length);
    expect(JSON.parse(stripped)).toEqual({ timeout: '30m', killGrace: '5s', x: 'http://a//b /* not */' });
    expect(stripJsonComments('{"a": "\\" // still a string"}')).toBe('{"a": "\\" // still a string"}');
  });

  it('are accepted by the loader, and an error after one still names its line and column', () => {
    expect(parseConfigText('{\n  // budget\n  "timeout": "45m"\n}\n', 'c.json').timeout).toBe('45m');
    expect(() => parseConfigText('{\n  /* a\n  b */ "timeout": "45m",\n}\n', 'c.json')).toThrow('c.json:4:1: not valid JSON');
  });
});
