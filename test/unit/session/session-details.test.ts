import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSessionDetails } from '../../../src/session/session-details.js';

let dir: string;
beforeEach(() => {
  dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'details-')), '20261121-100000-aaaa');
  mkdirSync(path.join(dir, 'agents', 'gemini', '1-design-gemini'), { recursive: true });
  mkdirSync(path.join(dir, 'agents', 'gemini', '1-design-gemini.2'), { recursive: true });
  writeFileSync(path.join(dir, 'agents', 'gemini', '1-design-gemini', 'prompt.md'), 'p');
});
afterEach(() => rmSync(path.dirname(dir), { recursive: true, force: true }));

const T0 = Date.parse('2026-11-21T10:00:00.000Z');
const at = (s: number): string => new Date(T0 + s * 1000).toISOString();
const journal = (entries: Array<Record<string, unknown>>): string =>
  entries.map((e, i) => `${JSON.stringify({ seq: i + 1, ...e })}\n`).join('');

describe('loadSessionDetails', () => {
  it('describes a running session from session.json, plan.json and the journal (no summary yet)', () => {
    writeFileSync(
      path.join(dir, 'session.json'),
      JSON.stringify({
        state: 'running',
        startedAt: at(0),
        supervisorPid: process.pid,
        task: 't',
        agents: ['gemini', 'claude'],
        assignments: { '1-design-gemini': { agent: 'gemini', status: 'running' }, '2-impl-claude': { agent: 'claude', status: 'pending' } },
      }),
    );
    writeFileSync(
      path.join(dir, 'plan.json'),
      JSON.stringify({
        tier: { name: 'gemini+claude', reason: 'codex is missing' },
        assignments: [
          { id: '1-design-gemini', agent: 'gemini', role: 'design', weight: 0.55, title: 'design', dependsOn: [] },
          { id: '2-impl-claude', agent: 'claude', role: 'implementation', weight: 0.45, title: 'impl', dependsOn: ['1-design-gemini'] },
        ],
      }),
    );
    writeFileSync(
      path.join(dir, 'events.jsonl'),
      journal([
        { time: at(0), type: 'session.started', pid: process.pid },
        { time: at(0), type: 'safety.sandbox_off', reason: '--no-sandbox' },
        { time: at(1), type: 'assignment.started', agent: 'gemini', assignment: '1-design-gemini' },
        { time: at(1), type: 'agent.launched', agent: 'gemini', assignment: '1-design-gemini' },
        {
          time: at(2),
          type: 'agent.usage',
          agent: 'gemini',
          assignment: '1-design-gemini',
          inputTokens: 10,
          outputTokens: 2,
          costUsd: 0.001,
        },
        { time: at(3), type: 'agent.exited', agent: 'gemini', assignment: '1-design-gemini', durationMs: 2000 },
        { time: at(3), type: 'recovery.relaunch', agent: 'gemini', assignment: '1-design-gemini', cause: 'gemini.api-server-error' },
        { time: at(4), type: 'agent.launched', agent: 'gemini', assignment: '1-design-gemini' },
        { time: at(5), type: 'review.requested', agent: 'gemini', review: 1, assignment: '1-design-gemini' },
        { time: at(5), type: 'safety.violation', agent: 'gemini', command: 'rm -rf ~', rule: 'block.recursive-delete-outside' },
      ]) + '{"seq":11,"ti', // being written: not a problem while running
    );

    const d = loadSessionDetails(dir, T0 + 10_000);
    expect(d.state).toBe('running');
    expect(d.summary).toBeUndefined();
    expect(d.plan?.tier.name).toBe('gemini+claude');
    expect(d.assignments).toEqual([
      expect.objectContaining({
        id: '1-design-gemini',
        role: 'design',
        weight: 0.55,
        status: 'running',
        durationMs: 2000,
        runDirs: ['agents/gemini/1-design-gemini', 'agents/gemini/1-design-gemini.2'],
      }),
      expect.objectContaining({ id: '2-impl-claude', role: 'implementation', status: 'pending', runDirs: [] }),
    ]);
    expect(d.agents).toEqual({ gemini: { inputTokens: 10, outputTokens: 2, costUsd: 0.001, durationMs: 2000, runs: 2 } });
    expect(d.counts).toEqual({
      entries: 10,
      // a sandbox-off notice is not a violation; counts are of violations, recovery actions and reviews
      violations: 1,
      recoveries: 1,
      reviews: 1,
      byType: { 'safety.sandbox_off': 1, 'recovery.relaunch': 1, 'review.requested': 1, 'safety.violation': 1 },
    });
    expect(d.problems).toEqual([]);
    expect(d.files).toEqual(['agents/gemini/1-design-gemini/prompt.md', 'events.jsonl', 'plan.json', 'session.json']);
  });

  it('takes the final word from summary.json, and names a torn journal line and a damaged plan', () => {
    writeFileSync(
      path.join(dir, 'session.json'),
      JSON.stringify({ state: 'failed', startedAt: at(0), supervisorPid: 1, outcome: 'agent failure', exitCode: 5, assignments: {} }),
    );
    writeFileSync(path.join(dir, 'plan.json'), '{');
    writeFileSync(
      path.join(dir, 'summary.json'),
      JSON.stringify({
        outcome: 'agent failure',
        exitCode: 5,
        assignments: [
          {
            id: '1-design-gemini',
            agent: 'gemini',
            role: 'design',
            status: 'failed',
            reason: 'crashed',
            durationMs: 42,
            filesChanged: { added: [], modified: [], deleted: [] },
            runDir: 'agents/gemini/1-design-gemini',
          },
        ],
        agents: { gemini: { inputTokens: 1, outputTokens: 1, costUsd: 0, durationMs: 42, runs: 1 } },
      }),
    );
    writeFileSync(
      path.join(dir, 'events.jsonl'),
      journal([{ time: at(0), type: 'assignment.started', agent: 'gemini', assignment: '1-design-gemini' }]) + '{"seq":2',
    );
    const d = loadSessionDetails(dir, T0 + 10_000);
    expect(d.state).toBe('failed');
    expect(d.assignments).toEqual([
      expect.objectContaining({
        id: '1-design-gemini',
        status: 'failed',
        reason: 'crashed',
        durationMs: 42,
        runDirs: ['agents/gemini/1-design-gemini', 'agents/gemini/1-design-gemini.2'],
      }),
    ]);
    expect(d.assignments[0]?.inProgress).toBeUndefined();
    expect(d.agents['gemini']?.runs).toBe(1);
    expect(d.problems).toEqual([
      expect.stringMatching(/^plan\.json: not valid JSON/),
      'events.jsonl line 2: torn (no newline; the writer stopped mid-line)',
    ]);
  });
});
