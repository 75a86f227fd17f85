import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONTROL_ID_PATTERN, controlRequestSchema } from '../../../src/control/control-message.js';
import { controlPaths, processedFile, requestFile } from '../../../src/control/control-paths.js';
import { awaitControlResponse, submitControlRequest, withdrawControlRequest } from '../../../src/control/submit-request.js';

// The requester's side: one whole, valid file per request; a bounded wait; withdrawal.
let controlDir: string;
beforeEach(() => {
  controlDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'orch-submit-')), 'control');
});
afterEach(() => rmSync(path.dirname(controlDir), { recursive: true, force: true }));

describe('submitControlRequest', () => {
  it('writes one valid request named by its id, and nothing else (no temp file left)', () => {
    const request = submitControlRequest(controlDir, { action: 'pause', agent: 'gemini' }, Date.parse('2026-01-01T00:00:00Z'));
    expect(request.id).toMatch(CONTROL_ID_PATTERN);
    expect(request).toMatchObject({ action: 'pause', agent: 'gemini', requestedAt: '2026-01-01T00:00:00.000Z', requesterPid: process.pid });
    expect(readdirSync(controlPaths(controlDir).requests)).toEqual([`${request.id}.json`]);
    const written = JSON.parse(readFileSync(requestFile(controlPaths(controlDir), request.id), 'utf8'));
    expect(controlRequestSchema.parse(written)).toEqual(request);
  });

  it('gives ids that sort by time and never collide', () => {
    const ids = Array.from({ length: 200 }, (_, i) => submitControlRequest(controlDir, { action: 'review' }, 1_767_225_600_000 + i).id);
    expect(new Set(ids).size).toBe(200);
    expect([...ids].sort()).toEqual(ids);
  });
});

describe('awaitControlResponse', () => {
  it('gives up after its bound with undefined', async () => {
    const t0 = Date.now();
    expect(await awaitControlResponse(controlDir, '1767225600000-00000000', { timeoutMs: 100 })).toBeUndefined();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(100);
  });
});

describe('withdrawControlRequest', () => {
  it('takes back an unclaimed request, and says so when the supervisor had already claimed it', () => {
    const paths = controlPaths(controlDir);
    const unclaimed = submitControlRequest(controlDir, { action: 'stop' });
    expect(withdrawControlRequest(controlDir, unclaimed.id)).toBe(true);
    expect(readdirSync(paths.requests)).toEqual([]);

    const claimed = submitControlRequest(controlDir, { action: 'stop' });
    // what the watcher does before acting
    mkdirSync(paths.processed, { recursive: true });
    renameSync(requestFile(paths, claimed.id), processedFile(paths, claimed.id));
    expect(withdrawControlRequest(controlDir, claimed.id)).toBe(false);
  });
});
