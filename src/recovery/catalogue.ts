import type { AgentId } from '../agents/agent-id.js';

/** Where a known failure shows. */
export type Evidence =
  /** A line of the CLI's stderr. */
  | { in: 'stderr'; pattern: RegExp; exitCode?: number }
  /** A field of a normalised event (`agent.permission_denied.message`, `agent.result.error`, …). */
  | {
      in: 'event';
      eventType: 'agent.permission_denied' | 'agent.result' | 'agent.error' | 'agent.tool_result' | 'agent.api_retry' | 'agent.rate_limit';
      field: string;
      pattern: RegExp;
    }
  /** The exit code alone. */
  | { in: 'exit-code'; exitCode: number };

/** What orchestrate does about it (issue: recovery). */
export type Handling =
  /** Avoided before launch by the flags the adapters build (journaled as a preparation). */
  | 'prepared'
  /** Relaunch with corrected flags, resuming the CLI's own session. */
  | 'recovered'
  /** A person must decide (in a terminal: asked; headless: blocker + escalation exit code). */
  | 'escalated'
  /** A rate limit: park the agent until its reset, without spending its retry budget. */
  | 'parked'
  /** A transient API failure: retry with backoff, resuming the session. */
  | 'retried'
  /** The agent cannot work (auth, a bug in our flags): hand the assignment to the next agent. */
  | 'fallback'
  /** A denial the session's own policy asked for: journaled, nothing to fix. */
  | 'expected';

/** One known failure of one CLI: where it shows, the exact pattern, the cause, and the fix. */
export interface CatalogueEntry {
  id: string;
  agent: AgentId;
  evidence: Evidence;
  cause: string;
  fix: string;
  handling: Handling;
  /** The recording it was observed in (fixtures/streams/<source>.*). */
  source: string;
}

/**
 * bash's refusal of a write, `/bin/bash: line 1: /x: Permission denied` or `touch: cannot touch
 * '/x': Read-only file system`, as a shell tool's output carries it.
 */
/** orchestrate's hook refusing a file tool's write (src/safety/hook/decide-call.ts), as the CLI reports it. */
const HOOK_WRITE_OUTSIDE =
  /blocked by orchestrate \(block\.write-outside\): \S+ would write (?<path>\S+?)(?: \(it resolves to [^)]*\))?, outside the allowed roots/;

const SHELL_WRITE_DENIED = /'?(?<path>\/[^\s:']*)'?: (?<error>Permission denied|Read-only file system)/;

/**
 * A file operation the operating system refused, in Node's words (the CLIs are Node programs):
 * `EROFS: read-only file system, open '/t/src/a.js'`, as a file tool's error or a crash's stderr.
 */
const FS_CALL_REFUSED =
  /(?<error>EROFS: read-only file system|EACCES: permission denied|EPERM: operation not permitted), (?<op>open|mkdir|rename|unlink|copyfile|symlink|rmdir|scandir|write) '(?<path>\/[^']*)'/;

/**
 * A sandbox or launcher that could not start the command it wraps: codex's own sandbox under
 * orchestrate's (`bwrap: execvp codex-linux-sandbox: No such file or directory`), or any
 * `execvp` of a missing executable. No command of the run can have run.
 */
const SANDBOX_START_FAILED = /^(?:bwrap: (?<detail>.+)|.*\bexecvp (?<exe>\S+): No such file or directory.*)$/m;

/** The environment failures of one agent: files it could not write, a sandbox that would not start. */
function environmentFailures(agent: AgentId, tool: string): CatalogueEntry[] {
  return [
    {
      id: `${agent}.file-write-refused`,
      agent,
      evidence: { in: 'event', eventType: 'agent.tool_result', field: 'output', pattern: FS_CALL_REFUSED },
      cause: `the operating system refused a file operation of a tool (${tool}): a read-only or root-owned path`,
      fix: 'none within policy: a person fixes the path (or the sandbox layout) and re-runs; never a success',
      handling: 'escalated',
      source: 'simulated: erofs-layout (issue 14: a sandbox layout where every write failed with EROFS)',
    },
    {
      id: `${agent}.crash-file-refused`,
      agent,
      evidence: { in: 'stderr', pattern: FS_CALL_REFUSED },
      cause: 'the CLI itself crashed on a file it could not write (its state or a project file)',
      fix: 'none within policy: a person fixes the path (or the sandbox layout) and re-runs',
      handling: 'escalated',
      source: 'simulated: erofs-layout (issue 14: claude crashed with EROFS, its stderr ending in the Node.js footer)',
    },
    {
      id: `${agent}.sandbox-start-failed`,
      agent,
      evidence: { in: 'event', eventType: 'agent.tool_result', field: 'output', pattern: SANDBOX_START_FAILED },
      cause: 'a command could not start: its sandbox or executable is missing here, so no shell command of the run ran',
      fix: 'hand the assignment to the next agent; none left: a person installs what is missing',
      handling: 'fallback',
      source: "simulated: nested-sandbox-fails (issue 14: codex's own sandbox failing under bubblewrap)",
    },
  ];
}

/**
 * Every failure of REFERENCE.md §6 (and the API-limit rows of §7), as data. Patterns are the
 * CLIs' exact texts with named groups for what a fix needs (`path`, `status`, `id`).
 */
export const CATALOGUE: readonly CatalogueEntry[] = [
  {
    id: 'claude.stream-json-needs-verbose',
    agent: 'claude',
    evidence: { in: 'stderr', pattern: /When using --print, --output-format=stream-json requires --verbose/, exitCode: 1 },
    cause: 'stream-json output in print mode needs --verbose',
    fix: 'always pass --verbose with --output-format stream-json (the adapter does)',
    handling: 'prepared',
    source: 'REFERENCE.md §6 (not recorded)',
  },
  {
    id: 'claude.root-bypass-refused',
    agent: 'claude',
    evidence: {
      in: 'stderr',
      pattern: /--dangerously-skip-permissions cannot be used with root\/sudo privileges for security reasons/,
      exitCode: 1,
    },
    cause: 'claude refuses its bypass flag as root',
    fix: "inside orchestrate's sandbox set IS_SANDBOX=1; unsandboxed, use --permission-mode acceptEdits with --allowedTools",
    handling: 'prepared',
    source: 'claude-root-bypass',
  },
  {
    id: 'claude.path-outside-workdirs',
    agent: 'claude',
    evidence: {
      in: 'event',
      eventType: 'agent.permission_denied',
      field: 'message',
      pattern: /Claude requested permissions to write to (?<path>\S+), but you haven't granted it yet/,
    },
    cause: 'a write outside the working directory and --add-dir',
    fix: 'relaunch with --add-dir <dir> when the dir is inside the allowed roots, else ask a person',
    handling: 'recovered',
    source: 'claude-outside',
  },
  {
    id: 'claude.hook-write-outside',
    agent: 'claude',
    evidence: { in: 'event', eventType: 'agent.permission_denied', field: 'message', pattern: HOOK_WRITE_OUTSIDE },
    cause: "orchestrate's pre-execution hook refused a file write outside the allowed roots",
    fix: 'ask a person whether to allow the directory (sandbox.allowWrite), else nothing: the write stays refused',
    handling: 'recovered',
    source: "issue 12 (the hook's own reason, in claude's PreToolUse hook error)",
  },
  {
    id: 'claude.shell-write-needs-approval',
    agent: 'claude',
    evidence: {
      in: 'event',
      eventType: 'agent.permission_denied',
      field: 'message',
      pattern: /Output redirection to '(?<path>[^']+)' needs approval/,
    },
    cause: 'default permission mode asks before a shell command writes files',
    fix: 'relaunch in a permission mode that lets it edit (bypass in the sandbox, acceptEdits with Bash allowed outside)',
    handling: 'recovered',
    source: 'claude-noperm',
  },
  {
    id: 'claude.dont-ask-mode',
    agent: 'claude',
    evidence: {
      in: 'event',
      eventType: 'agent.permission_denied',
      field: 'message',
      pattern: /has been denied because Claude Code is running in don't ask mode/,
    },
    cause: 'dontAsk permission mode denies every tool that needs a check',
    fix: 'relaunch in a permission mode that lets it edit',
    handling: 'recovered',
    source: 'REFERENCE.md §6 (not recorded)',
  },
  {
    id: 'claude.auto-mode-unavailable',
    agent: 'claude',
    evidence: {
      in: 'event',
      eventType: 'agent.permission_denied',
      field: 'message',
      pattern: /Auto mode is unavailable: its safety check does not run for this session/,
    },
    cause: 'auto permission mode needs a server-side classifier',
    fix: 'relaunch in a permission mode that lets it edit',
    handling: 'recovered',
    source: 'REFERENCE.md §6 (not recorded)',
  },
  {
    id: 'claude.policy-deny',
    agent: 'claude',
    evidence: {
      in: 'event',
      eventType: 'agent.permission_denied',
      field: 'message',
      pattern: /Permission to use (?<tool>\w+) with command (?<command>.+) has been denied\./,
    },
    cause: '--disallowedTools or permissions.deny matched',
    fix: "none: the session's policy asked for it",
    handling: 'expected',
    source: 'claude-deny-settings',
  },
  {
    id: 'claude.hook-block',
    agent: 'claude',
    evidence: {
      in: 'event',
      eventType: 'agent.permission_denied',
      field: 'message',
      pattern: /PreToolUse:(?<tool>\w+) hook error: \[[^\]]*\]: (?<reason>.*)/s,
    },
    cause: "orchestrate's PreToolUse hook blocked the command",
    fix: 'none: the command filter decided',
    handling: 'expected',
    source: 'claude-deny-hook',
  },
  {
    id: 'claude.shell-write-denied',
    agent: 'claude',
    evidence: { in: 'event', eventType: 'agent.tool_result', field: 'output', pattern: SHELL_WRITE_DENIED },
    cause: 'the operating system refused a write (Bash tool output): a root-owned or read-only path',
    fix: "none within policy: a person fixes the path's permissions or allows it; then re-run",
    handling: 'escalated',
    source: "REFERENCE.md §6 (bash's EACCES/EROFS text, replayed by the simulated agents)",
  },
  {
    id: 'claude.resume-unknown-session',
    agent: 'claude',
    evidence: { in: 'stderr', pattern: /No conversation found with session ID: (?<id>\S+)/, exitCode: 1 },
    cause: 'the session id given to --resume does not exist (other HOME, or deleted)',
    fix: 'start a fresh session whose prompt carries the work so far',
    handling: 'recovered',
    source: 'claude-resume-badid',
  },
  {
    id: 'claude.api-server-error',
    agent: 'claude',
    evidence: { in: 'event', eventType: 'agent.result', field: 'apiErrorStatus', pattern: /^(?<status>5\d\d)$/ },
    cause: "the model API kept failing after the CLI's own retries",
    fix: 'retry with backoff, resuming the session',
    handling: 'retried',
    source: 'claude-err500',
  },
  {
    id: 'claude.api-rate-limit',
    agent: 'claude',
    evidence: { in: 'event', eventType: 'agent.result', field: 'apiErrorStatus', pattern: /^(?<status>429)$/ },
    cause: 'the model API rate-limited the agent',
    fix: 'park the agent until the reset time (else back off); hand its work on if it stays parked',
    handling: 'parked',
    source: 'claude-err429',
  },
  {
    id: 'codex.outside-git-repo',
    agent: 'codex',
    evidence: { in: 'stderr', pattern: /Not inside a trusted directory and --skip-git-repo-check was not specified\./, exitCode: 1 },
    cause: 'codex refuses to run outside a git repository',
    fix: 'pass --skip-git-repo-check when the target is not a git work tree (the adapter does)',
    handling: 'prepared',
    source: 'codex-nogit',
  },
  {
    id: 'codex.execpolicy-forbidden',
    agent: 'codex',
    evidence: {
      in: 'stderr',
      pattern:
        /ERROR codex_core::tools::router: error=exec_command failed: CreateProcess \{ message: "Rejected\(\\"`(?<command>.*)` rejected: (?<reason>.*)\\"\)" \}/,
    },
    cause: 'an execpolicy forbidden rule rejected the command (no stream item: stderr only)',
    fix: 'none: the command filter decided; journaled as a violation',
    handling: 'expected',
    source: 'codex-deny',
  },
  {
    id: 'codex.shell-write-denied',
    agent: 'codex',
    evidence: { in: 'event', eventType: 'agent.tool_result', field: 'output', pattern: SHELL_WRITE_DENIED },
    cause: 'the operating system refused a write (command_execution output): a root-owned or read-only path',
    fix: "none within policy: a person fixes the path's permissions or allows it; then re-run",
    handling: 'escalated',
    source: "REFERENCE.md §6 (bash's EACCES/EROFS text, replayed by the simulated agents)",
  },
  {
    id: 'codex.api-server-error',
    agent: 'codex',
    evidence: {
      in: 'event',
      eventType: 'agent.result',
      field: 'error',
      pattern: /We’re currently experiencing high demand, which may cause temporary errors\./,
    },
    cause: "the model API kept failing (5xx) after codex's retries",
    fix: 'retry with backoff, resuming the thread (codex exec resume)',
    handling: 'retried',
    source: 'codex-err500',
  },
  {
    id: 'codex.api-rate-limit',
    agent: 'codex',
    evidence: {
      in: 'event',
      eventType: 'agent.result',
      field: 'error',
      pattern: /exceeded retry limit, last status: (?<status>429) Too Many Requests/,
    },
    cause: 'the model API rate-limited the agent',
    fix: 'park the agent until the reset time (else back off)',
    handling: 'parked',
    source: 'codex-err429',
  },
  {
    id: 'codex.usage-limit',
    agent: 'codex',
    // the plan's usage window is used up (ChatGPT sign-in); the text names when it resets
    evidence: { in: 'event', eventType: 'agent.result', field: 'error', pattern: /You[’']ve hit your usage limit/ },
    cause: "the account's usage limit is used up (`You’ve hit your usage limit … try again at <time>`)",
    fix: 'park the agent until the time it names; hand its work on if that is past the deadline',
    handling: 'parked',
    source: 'simulated: codex 0.169 binary strings (no recording)',
  },
  {
    id: 'codex.removed-flag',
    agent: 'codex',
    evidence: { in: 'stderr', pattern: /error: unexpected argument '(?<flag>[^']+)' found/, exitCode: 2 },
    cause: 'a flag codex no longer accepts (e.g. --full-auto)',
    fix: "a bug in orchestrate's flags or the config's args: hand the work to the next agent and report it",
    handling: 'fallback',
    source: 'codex-fullauto',
  },
  {
    id: 'gemini.untrusted-folder',
    agent: 'gemini',
    evidence: { in: 'stderr', pattern: /Gemini CLI is not running in a trusted directory\./, exitCode: 55 },
    cause: 'gemini refuses folders it does not trust in headless mode',
    fix: 'pass --skip-trust when the session trusts the target (the default; --no-trust turns it off), else ask a person',
    handling: 'prepared',
    source: 'gemini-untrusted',
  },
  {
    id: 'gemini.auth',
    agent: 'gemini',
    evidence: {
      in: 'stderr',
      pattern: /Invalid auth method selected\.|When using Gemini API, you must specify the GEMINI_API_KEY environment variable\./,
      exitCode: 41,
    },
    cause: 'gemini has no usable credentials',
    fix: 'hand the assignment to the next agent; the summary says how to log in',
    handling: 'fallback',
    source: 'gemini-auth-gateway',
  },
  {
    id: 'gemini.path-outside-workspace',
    agent: 'gemini',
    evidence: {
      in: 'event',
      eventType: 'agent.permission_denied',
      field: 'message',
      pattern: /Path not in workspace: Attempted path "(?<path>[^"]+)" resolves outside the allowed workspace directories/,
    },
    cause: 'a file tool touched a path outside the cwd and --include-directories',
    fix: 'relaunch with --include-directories <dir> when the dir is inside the allowed roots, else ask a person',
    handling: 'recovered',
    source: 'gemini-outside',
  },
  {
    id: 'gemini.hook-write-outside',
    agent: 'gemini',
    evidence: { in: 'event', eventType: 'agent.permission_denied', field: 'message', pattern: HOOK_WRITE_OUTSIDE },
    cause: "orchestrate's pre-execution hook refused a file write outside the allowed roots",
    fix: 'ask a person whether to allow the directory (sandbox.allowWrite), else nothing: the write stays refused',
    handling: 'recovered',
    source: "issue 12 (the hook's own reason, through gemini's policy_violation result)",
  },
  {
    id: 'gemini.policy-deny',
    agent: 'gemini',
    evidence: {
      in: 'event',
      eventType: 'agent.permission_denied',
      field: 'message',
      pattern: /Tool execution denied by policy\. (?<reason>.*)/,
    },
    cause: "orchestrate's --policy file denied the command",
    fix: 'none: the command filter decided',
    handling: 'expected',
    source: 'gemini-deny',
  },
  {
    id: 'gemini.shell-write-denied',
    agent: 'gemini',
    evidence: { in: 'event', eventType: 'agent.tool_result', field: 'output', pattern: SHELL_WRITE_DENIED },
    cause: 'the operating system refused a write (run_shell_command output): a root-owned or read-only path',
    fix: "none within policy: a person fixes the path's permissions or allows it; then re-run",
    handling: 'escalated',
    source: "REFERENCE.md §6 (bash's EACCES/EROFS text, replayed by the simulated agents)",
  },
  {
    id: 'gemini.api-server-error',
    agent: 'gemini',
    evidence: { in: 'exit-code', exitCode: 244 },
    cause: "the model API kept failing with 500 after gemini's retries (exit 244 = 500 & 255)",
    fix: 'retry with backoff, resuming the session (gemini --resume)',
    handling: 'retried',
    source: 'gemini-err500',
  },
  // gemini-cli 0.61 retries 429, 499 and 5xx itself (isRetryableError; 499 and 503 without a quota
  // reason are a RetryableQuotaError) and, out of attempts, exits with the status & 255 as recorded for 500/429
  {
    id: 'gemini.api-overloaded',
    agent: 'gemini',
    evidence: { in: 'exit-code', exitCode: 247 },
    cause:
      'the model API kept answering 503 ("The model is overloaded. Please try again later.") after gemini\'s retries (exit 247 = 503 & 255)',
    fix: 'retry with backoff, resuming the session (gemini --resume)',
    handling: 'retried',
    source: 'simulated: gemini-cli 0.61 classifyGoogleError/isRetryableError (503 retried), exit status & 255 as in gemini-err500',
  },
  {
    id: 'gemini.api-cancelled',
    agent: 'gemini',
    evidence: { in: 'exit-code', exitCode: 243 },
    cause:
      "the model API kept answering 499 (CANCELLED, the server dropped the request under load) after gemini's retries (exit 243 = 499 & 255)",
    fix: 'retry with backoff, resuming the session (gemini --resume)',
    handling: 'retried',
    source: 'simulated: gemini-cli 0.61 classifyGoogleError/isRetryableError (499 retried), exit status & 255 as in gemini-err500',
  },
  {
    id: 'gemini.api-rate-limit',
    agent: 'gemini',
    evidence: { in: 'exit-code', exitCode: 173 },
    cause: 'the model API rate-limited the agent (exit 173 = 429 & 255)',
    fix: 'park the agent until the reset time (else back off)',
    handling: 'parked',
    source: 'gemini-err429',
  },
  {
    id: 'claude.rate-limit-rejected',
    agent: 'claude',
    evidence: { in: 'event', eventType: 'agent.rate_limit', field: 'status', pattern: /^rejected$/ },
    cause: "the account's rate limit is exhausted (rate_limit_event status rejected, with its reset time)",
    fix: 'park the agent until rate_limit_info.resetsAt; hand its work on if that is past the deadline',
    handling: 'parked',
    source: 'simulated: claude SDK SDKRateLimitEvent (claude ≥ 2.1.33x)',
  },
  {
    id: 'claude.auth-failed',
    agent: 'claude',
    evidence: { in: 'event', eventType: 'agent.error', field: 'kind', pattern: /^(?<kind>authentication_failed|billing_error)$/ },
    cause: 'claude cannot use its account (authentication or billing)',
    fix: 'hand the assignment to the next agent; the summary says how to log in',
    handling: 'fallback',
    source: 'simulated: claude SDK SDKAssistantMessageError kinds',
  },
  {
    id: 'gemini.capacity-exhausted',
    agent: 'gemini',
    evidence: { in: 'stderr', pattern: /MODEL_CAPACITY_EXHAUSTED/ },
    cause: 'the gemini model has no capacity left (terminal: gemini no longer retries it)',
    fix: 'hand the assignment to the next agent; retrying gemini soon does not help',
    handling: 'fallback',
    source: 'simulated: gemini-cli MODEL_CAPACITY_EXHAUSTED (terminal since 0.6x)',
  },
  ...environmentFailures('claude', 'Write, Edit, Bash'),
  ...environmentFailures('codex', 'apply_patch, command_execution'),
  ...environmentFailures('gemini', 'write_file, run_shell_command'),
];
