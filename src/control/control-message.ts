import { z } from 'zod';
import { AGENT_IDS } from '../agents/agent-id.js';

/** What another terminal can ask a running supervisor to do (`orchestrate ctl <id> <action>`). */
export const CONTROL_ACTIONS = ['pause', 'resume', 'stop', 'review'] as const;
export type ControlAction = (typeof CONTROL_ACTIONS)[number];

/** How the supervisor answered: it did it, it did not apply (e.g. resume while not paused), or it tried and failed. */
export const CONTROL_RESULTS = ['done', 'ignored', 'failed'] as const;
export type ControlResult = (typeof CONTROL_RESULTS)[number];

/** A request id is also its file name (`<ms since epoch>-<hex>`), so it sorts by time and is safe as a path. */
export const CONTROL_ID_PATTERN = /^\d{13,}-[0-9a-f]{8,}$/;

/**
 * Besides the actions on agents, a request may answer one of the session's open questions (a
 * confirm-class command, an escalation): how a dashboard that does not run the session answers.
 */
export const REQUEST_ACTIONS = [...CONTROL_ACTIONS, 'answer'] as const;
export type RequestAction = (typeof REQUEST_ACTIONS)[number];

/** An open question's id (`QuestionBoard`): also safe in a file name. */
export const QUESTION_ID_PATTERN = /^[0-9a-f]{12}$/;

/** `control/requests/<id>.json`. Unknown keys are errors, so a typo never passes silently. */
export const controlRequestSchema = z
  .strictObject({
    id: z.string().regex(CONTROL_ID_PATTERN, 'must look like <ms>-<hex>'),
    action: z.enum(REQUEST_ACTIONS),
    agent: z.enum(AGENT_IDS as unknown as [string, ...string[]]).optional(),
    /** With `answer`: the question's id and the answer. */
    question: z.string().regex(QUESTION_ID_PATTERN, 'must be an open question id (12 hex digits)').optional(),
    answer: z.enum(['yes', 'no']).optional(),
    requestedAt: z.iso.datetime(),
    requesterPid: z.number().int().positive(),
  })
  .refine((r) => (r.action === 'answer') === (r.question !== undefined && r.answer !== undefined), {
    message: 'action "answer" takes a question and an answer (yes or no); other actions take neither',
  });
export type ControlRequest = z.infer<typeof controlRequestSchema>;

/** What the injected handler decides. */
export interface ControlDecision {
  result: ControlResult;
  message: string;
}

/**
 * `control/responses/<id>.json`. `action` is the request's action as written, which for a
 * malformed request may be something that is not a `ControlAction` (or `"?"` when absent).
 */
export const controlResponseSchema = z.object({
  id: z.string(),
  action: z.string(),
  agent: z.string().optional(),
  result: z.enum(CONTROL_RESULTS),
  message: z.string(),
  respondedAt: z.iso.datetime(),
});
export type ControlResponse = z.infer<typeof controlResponseSchema>;
