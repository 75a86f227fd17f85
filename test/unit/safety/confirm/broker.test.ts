import { afterEach, describe, expect, it } from 'vitest';
import { startConfirmBroker, type ConfirmBroker } from '../../../../src/safety/confirm/broker.js';
import { CONFIRM_ENV, parseEndpoint } from '../../../../src/safety/confirm/endpoint.js';
import { requestConfirmation } from '../../../../src/safety/confirm/request-confirmation.js';
import type { ConfirmAnswer, ConfirmDecider, ConfirmRequest } from '../../../../src/safety/confirm/types.js';
import type { JournalInput } from '../../../../src/session/journal-entry.js';
import { WAIT_CEILING_MS } from '../../../helpers/until.js';

const request: ConfirmRequest = {
  agent: 'claude',
  assignment: 'impl',
  command: 'git push origin main',
  rule: 'confirm.external-action',
  reason: 'pushes to a remote',
  cwd: '/w',
};
let broker: ConfirmBroker | undefined;
afterEach(async () => {
  await broker?.close();
  broker = undefined;
});

async function start(decide: ConfirmDecider, timeoutMs = 5000): Promise<{ broker: ConfirmBroker; journal: JournalInput[] }> {
  const journal: JournalInput[] = [];
  broker = await startConfirmBroker({ decide, journal: { append: (e) => journal.push(e) }, timeoutMs });
  return { broker, journal };
}

describe('the confirm broker', () => {
  it('listens on loopback and hands its endpoint out in one env var', async () => {
    const { broker } = await start(async () => ({ answer: 'allow', by: 'person' }));
    expect(broker.endpoint.host).toBe('127.0.0.1');
    expect(parseEndpoint(broker.env[CONFIRM_ENV])).toEqual(broker.endpoint);
  });

  it('answers with the decision and journals the request and the answer', async () => {
    const { broker, journal } = await start(async () => ({ answer: 'allow', by: 'person' }));
    await expect(requestConfirmation(broker.endpoint, request, WAIT_CEILING_MS)).resolves.toEqual({ answer: 'allow', by: 'person' });
    const about = {
      agent: 'claude',
      assignment: 'impl',
      command: 'git push origin main',
      rule: 'confirm.external-action',
      reason: 'pushes to a remote',
    };
    expect(journal).toEqual([
      { type: 'safety.confirm_requested', ...about },
      { type: 'safety.confirm_answered', ...about, answer: 'allow', by: 'person' },
    ]);
  });

  it('denies a wrong token without asking anyone', async () => {
    let asked = 0;
    const { broker, journal } = await start(async () => (asked++, { answer: 'allow', by: 'person' }));
    await expect(requestConfirmation({ ...broker.endpoint, token: 'b'.repeat(48) }, request, WAIT_CEILING_MS)).rejects.toThrow(
      /403: wrong or missing token/,
    );
    expect(asked).toBe(0);
    expect(journal).toEqual([{ type: 'safety.confirm_refused', reason: 'wrong or missing token' }]);
  });

  it('denies a malformed request without asking anyone', async () => {
    let asked = 0;
    const { broker } = await start(async () => (asked++, { answer: 'allow', by: 'person' }));
    const res = await fetch(`http://127.0.0.1:${broker.endpoint.port}/confirm`, {
      method: 'POST',
      headers: { 'x-orchestrate-token': broker.endpoint.token },
      body: '{"agent":"claude"}',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ answer: 'deny' });
    expect(asked).toBe(0);
  });

  it('denies by timeout when no decision comes in time, and withdraws the question', async () => {
    let withdrawn = false;
    const { broker, journal } = await start(
      (_r, signal) =>
        new Promise<ConfirmAnswer>(() => {
          signal.addEventListener('abort', () => (withdrawn = true));
        }),
      50,
    );
    await expect(requestConfirmation(broker.endpoint, request, WAIT_CEILING_MS)).resolves.toEqual({ answer: 'deny', by: 'timeout' });
    expect(withdrawn).toBe(true);
    expect(journal.at(-1)).toMatchObject({ type: 'safety.confirm_answered', answer: 'deny', by: 'timeout' });
  });

  it('denies when the decider fails', async () => {
    const { broker } = await start(async () => {
      throw new Error('terminal gone');
    });
    await expect(requestConfirmation(broker.endpoint, request, WAIT_CEILING_MS)).resolves.toEqual({ answer: 'deny', by: 'policy' });
  });

  it('a client that waits too little gets an error (the hook then blocks)', async () => {
    const { broker } = await start(() => new Promise<ConfirmAnswer>(() => undefined), WAIT_CEILING_MS);
    await expect(requestConfirmation(broker.endpoint, request, 50)).rejects.toThrow(/no answer within/);
  });

  it('a closed broker is unreachable', async () => {
    const { broker: b } = await start(async () => ({ answer: 'allow', by: 'person' }));
    await b.close();
    broker = undefined;
    await expect(requestConfirmation(b.endpoint, request, WAIT_CEILING_MS)).rejects.toThrow(/ECONNREFUSED/);
  });
});
