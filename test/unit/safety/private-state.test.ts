import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { privateStateCopies, writeBackCredentials } from '../../../src/safety/private-state.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'private-state-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("an agent's private copy of its CLI state", () => {
  const claude = path.join(root, 'home', '.claude');
  mkdirSync(path.join(claude, 'projects', 'p'), { recursive: true });
  writeFileSync(path.join(claude, 'projects', 'p', 'big.jsonl'), 'history\n');
  writeFileSync(path.join(claude, 'settings.json'), '{"person":true}\n');
  writeFileSync(path.join(claude, '.credentials.json'), '{"token":"old"}\n');
  const copies = privateStateCopies('claude', [claude, path.join(root, 'home', '.claude.json')], path.join(root, 'state', 's1', 'claude'));

  it('holds the login and settings, not the bulky history; a missing .json starts as {}', () => {
    expect(readFileSync(path.join(copies[0]!.source, 'settings.json'), 'utf8')).toBe('{"person":true}\n');
    expect(readFileSync(path.join(copies[0]!.source, '.credentials.json'), 'utf8')).toBe('{"token":"old"}\n');
    expect(existsSync(path.join(copies[0]!.source, 'projects'))).toBe(false);
    expect(readFileSync(copies[1]!.source, 'utf8')).toBe('{}\n');
    expect(existsSync(path.join(root, 'home', '.claude.json'))).toBe(false);
  });

  it('is made once per session: a second call keeps what the agent wrote', () => {
    writeFileSync(path.join(copies[0]!.source, 'settings.json'), '{"agent":true}\n');
    const again = privateStateCopies('claude', [claude], path.join(root, 'state', 's1', 'claude'));
    expect(readFileSync(path.join(again[0]!.source, 'settings.json'), 'utf8')).toBe('{"agent":true}\n');
    expect(readFileSync(path.join(claude, 'settings.json'), 'utf8')).toBe('{"person":true}\n');
  });

  it('writes back only a refreshed login, only valid JSON, only over an existing file', () => {
    writeFileSync(path.join(copies[0]!.source, '.credentials.json'), 'not json');
    expect(writeBackCredentials('claude', copies)).toEqual([]);
    writeFileSync(path.join(copies[0]!.source, '.credentials.json'), '{"token":"new"}\n');
    expect(writeBackCredentials('claude', copies)).toEqual([path.join(claude, '.credentials.json')]);
    expect(readFileSync(path.join(claude, '.credentials.json'), 'utf8')).toBe('{"token":"new"}\n');
    expect(readFileSync(path.join(claude, 'settings.json'), 'utf8')).toBe('{"person":true}\n');
  });
});
