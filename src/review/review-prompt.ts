import type { AgentId } from '../agents/agent-id.js';
import type { ReviewDiff } from './review-diff.js';
import type { ReviewTrigger } from './triggers.js';
import { MAX_SUMMARY_WORDS } from './verdict.js';

/** What a reviewer is told about the work under review. */
export interface ReviewPromptInput {
  task: string;
  assignment: { id: string; role: string; agent: AgentId; description?: string };
  /** The author's own account (its `DONE:`/`MILESTONE:` line or last message), if any. */
  authorSummary?: string;
  diff: ReviewDiff;
  trigger: ReviewTrigger;
}

const WHY: Record<ReviewTrigger['kind'], string> = {
  milestone: 'the author reported a milestone',
  blocker: 'the author reported a blocker',
  review_request: 'the author asked for a review',
  finished: 'the author finished the assignment',
  timer: 'the review timer fired (no review for a while)',
  person: 'a person asked for a review',
};

/** The verdict's shape, spelled out for a reader (VERDICT_JSON_SCHEMA is the machine form). */
export const VERDICT_SHAPE = [
  '{',
  '  "verdict": "approve" | "request_changes" | "block",',
  `  "summary": "<your review, at most ${MAX_SUMMARY_WORDS} words>",`,
  '  "issues": [',
  '    { "severity": "low" | "medium" | "high" | "critical", "file": "<path>" or null, "line": <number> or null, "message": "<what is wrong and what to do>" }',
  '  ]',
  '}',
].join('\n');

/**
 * The reviewer's prompt: read-only, answer only with the JSON verdict. Deterministic for the
 * same input. The `Your role: review` line is what the simulated agents key on.
 */
export function buildReviewPrompt(input: ReviewPromptInput): string {
  const { task, assignment: a, authorSummary, diff, trigger } = input;
  const s = diff.stats;
  const why = `${WHY[trigger.kind]}${trigger.text ? `: ${trigger.text}` : ''}`;
  return [
    `You are a peer reviewer under orchestrate: ${a.agent}'s work is shown to you for an independent review.`,
    'Your role: review',
    '',
    `Task: ${task}`,
    '',
    `Under review: assignment ${a.id} (${a.role}) by ${a.agent}`,
    ...(a.description ? a.description.split('\n').map((line) => `  ${line}`) : []),
    `Why now: ${why}`,
    ...(authorSummary ? ['', 'What the author says:', ...authorSummary.split('\n').map((line) => `  ${line}`)] : []),
    '',
    `The changes: ${s.added} added, ${s.modified} modified, ${s.deleted} deleted file(s)${diff.cut.length ? `; ${diff.cut.length} not shown in full (listed at the end)` : ''}.`,
    ...(s.added + s.modified + s.deleted === 0
      ? ['The diff is EMPTY: no file was changed. Work that had to change files is not done.']
      : []),
    '<<<CHANGES',
    diff.text,
    'CHANGES>>>',
    '',
    'How to answer:',
    '- This review is read-only: do not create, change or delete any file, and run nothing that changes anything.',
    "  You may read the project's files to check the changes.",
    `- Answer ONLY with one JSON object, the verdict, at most ${MAX_SUMMARY_WORDS} words in all. No prose before or after it, no Markdown fence.`,
    '- The verdict (file and line may be null; "issues" is [] when there are none):',
    VERDICT_SHAPE,
    '- "approve": good enough to go on as it is (low or medium issues may be noted).',
    '- "request_changes": the author must fix the issues first; the author gets your issues and revises.',
    '- "block": the work must not go on (wrong direction, destructive, unsafe); a person decides.',
    '- Severity: "critical" = must not ship (a person decides), "high" = must be fixed before going on,',
    '  "medium" = should be fixed, "low" = a suggestion.',
    '',
  ].join('\n');
}
