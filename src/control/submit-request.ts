import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, unlinkSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeJsonAtomic } from '../session/atomic-write.js';
import { controlResponseSchema, type ControlRequest, type ControlResponse, type RequestAction } from './control-message.js';
import { controlPaths, requestFile, responseFile } from './control-paths.js';

/** A fresh request id: sorts by time, unique across terminals. */
export function newControlId(now = Date.now()): string {
  return `${String(now).padStart(13, '0')}-${randomBytes(4).toString('hex')}`;
}

/**
 * Writes a request into `<controlDir>/requests/` atomically (temp file, rename), so the
 * supervisor never reads half of one. Returns the request as written.
 */
export function submitControlRequest(
  controlDir: string,
  ask: { action: RequestAction; agent?: string; question?: string; answer?: 'yes' | 'no' },
  now = Date.now(),
): ControlRequest {
  const paths = controlPaths(controlDir);
  mkdirSync(paths.requests, { recursive: true });
  const request: ControlRequest = {
    id: newControlId(now),
    action: ask.action,
    ...(ask.agent ? { agent: ask.agent } : {}),
    ...(ask.question ? { question: ask.question } : {}),
    ...(ask.answer ? { answer: ask.answer } : {}),
    requestedAt: new Date(now).toISOString(),
    requesterPid: process.pid,
  };
  writeJsonAtomic(requestFile(paths, request.id), request);
  return request;
}

/** The response to `id` if the supervisor has written it (it is written atomically, so it is whole). */
export function readControlResponse(controlDir: string, id: string): ControlResponse | undefined {
  let text: string;
  try {
    text = readFileSync(responseFile(controlPaths(controlDir), id), 'utf8');
  } catch {
    return undefined;
  }
  const parsed = controlResponseSchema.safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new Error(
      `control response ${id} does not validate: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}

/**
 * Waits (bounded) for the response to `id`. Polls one file: the wait is short and a missed
 * watch event must not turn into a false timeout. Undefined on timeout or abort.
 */
export async function awaitControlResponse(
  controlDir: string,
  id: string,
  { timeoutMs = 5000, intervalMs = 25, signal }: { timeoutMs?: number; intervalMs?: number; signal?: AbortSignal } = {},
): Promise<ControlResponse | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = readControlResponse(controlDir, id);
    if (response) return response;
    if (Date.now() >= deadline || signal?.aborted) return undefined;
    await sleep(Math.min(intervalMs, Math.max(1, deadline - Date.now())));
  }
}

/**
 * Takes back an unanswered request so a supervisor that was stuck does not act on it much later.
 * True when it was still unclaimed (so it will never be handled); false when the supervisor had
 * already claimed it (an answer may still come).
 */
export function withdrawControlRequest(controlDir: string, id: string): boolean {
  try {
    unlinkSync(requestFile(controlPaths(controlDir), id));
    return true;
  } catch {
    return false;
  }
}
