import { z } from 'zod';

/** What a hook asks the broker: may this agent run this confirm-class command? */
export const ConfirmRequestSchema = z
  .object({
    agent: z.string().min(1).max(64),
    assignment: z.string().min(1).max(200).optional(),
    command: z
      .string()
      .min(1)
      .max(512 * 1024),
    rule: z.string().min(1).max(200),
    reason: z.string().max(4000),
    cwd: z.string().max(4096),
  })
  .strict();

export type ConfirmRequest = z.infer<typeof ConfirmRequestSchema>;

/** The broker's answer, and who gave it. */
export interface ConfirmAnswer {
  answer: 'allow' | 'deny';
  by: 'person' | 'policy' | 'timeout';
}

/** Decides one request; `signal` aborts when nobody is waiting for the answer any more. */
export type ConfirmDecider = (request: ConfirmRequest, signal: AbortSignal) => Promise<ConfirmAnswer>;
