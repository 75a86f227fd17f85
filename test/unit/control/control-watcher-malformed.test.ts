import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ControlRequest, ControlResponse } from '../../../src/control/control-message.js';
import { controlPaths } from '../../../src/control/control-paths.js';
import { ControlWatcher } from '../../../src/control/control-watcher.js';
import { awaitControlResponse } from '../../../src/control/submit-request.js';
import { WAIT_CEILING_MS } from '../../helpers/until.js';

// Whatever lands in control/requests/, the watcher answers it and never throws.
let controlDir: string;
let watcher: ControlWatcher | undefined;
const handled: ControlRequest[] = [];
beforeEach(async () => {
  controlDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'orch-control-bad-')), 'control');
  handled.length = 0;
  watcher = await ControlWatcher.start({
    controlDir,
    handler: async (r) => {
      handled.push(r);
      return { result: 'done', message: 'ok' };
    },
  });
});
afterEach(async () => {
  await watcher?.close();
  rmSync(path.dirname(controlDir), { recursive: true, force: true });
});

const ID = '1767225600000-0badc0de';
const valid = { id: ID, action: 'pause', requestedAt: new Date().toISOString(), requesterPid: 4242 };

async function answerTo(content: string | object, id = ID): Promise<ControlResponse | undefined> {
  const dir = controlPaths(controlDir).requests;
  mkdirSync(dir, { recursive: true });
  // written under a temp name and renamed, as a requester does
  writeFileSync(path.join(dir, `${id}.tmp`), typeof content === 'string' ? content : JSON.stringify(content));
  renameSync(path.join(dir, `${id}.tmp`), path.join(dir, `${id}.json`));
  return awaitControlResponse(controlDir, id, { timeoutMs: WAIT_CEILING_MS });
}

describe('ControlWatcher with malformed requests', () => {
  it.each([
    ['not JSON', '{"action": "pa', '?', 'malformed request: '],
    ['JSON but not an object', '[1, 2]', '?', 'malformed request: '],
    ['an unknown action', { ...valid, action: 'explode' }, 'explode', 'action: '],
    ['an unknown agent', { ...valid, agent: 'bard' }, 'pause', 'agent: '],
    ['an unknown key', { ...valid, force: true }, 'pause', 'force'],
    ['a missing requester pid', { ...valid, requesterPid: undefined }, 'pause', 'requesterPid: '],
    ['a bad timestamp', { ...valid, requestedAt: 'yesterday' }, 'pause', 'requestedAt: '],
    ['an id that is not its file name', { ...valid, id: '1767225600000-00000000' }, 'pause', 'is not its file name'],
    ['an answer without its question', { ...valid, action: 'answer', answer: 'yes' }, 'answer', 'takes a question and an answer'],
    [
      'an answer that is neither yes nor no',
      { ...valid, action: 'answer', question: 'a1b2c3d4e5f6', answer: 'maybe' },
      'answer',
      'answer: ',
    ],
    ['a question id that is not one', { ...valid, action: 'answer', question: '../../x', answer: 'yes' }, 'answer', 'question: '],
    [
      'a question given to another action',
      { ...valid, question: 'a1b2c3d4e5f6', answer: 'yes' },
      'pause',
      'takes a question and an answer',
    ],
  ])('answers %s with failed, naming the problem, and hands nothing over', async (_what, content, action, problem) => {
    const response = await answerTo(content);
    expect(response).toMatchObject({ id: ID, action, result: 'failed' });
    expect(response?.message).toContain(problem);
    expect(handled).toEqual([]);
  });

  it('still serves a valid request after a malformed one', async () => {
    await answerTo('garbage', '1767225600000-0000000a');
    expect(await answerTo(valid)).toMatchObject({ result: 'done' });
    expect(handled).toMatchObject([{ id: ID, action: 'pause' }]);
  });
});
