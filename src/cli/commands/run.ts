import path from 'node:path';
import pc from 'picocolors';
import { createHeadlessReporter } from '../../dashboard/headless-reporter.js';
import { lineBatch } from '../line-batch.js';
import { createJsonReporter } from '../../dashboard/json-reporter.js';
import { renderSummaryLines } from '../../dashboard/render-summary.js';
import { startWarnings } from '../../doctor/start-warnings.js';
import type { ExitCode } from '../../errors.js';
import type { ResumeInput } from '../../supervisor/resume-plan.js';
import { SessionLaunch, type PersonQuestion } from '../../supervisor/session-launch.js';
import type { Io } from '../io.js';
import { askAnywhere, openRunQuestions, startRunDashboard, wantsDashboard, type RunDashboard } from '../run-dashboard.js';
import { readRunSettings, type RunFlags } from '../run-settings.js';
import { readVersion } from '../version.js';
import { offerApply } from './offer-apply.js';

export type { RunFlags } from '../run-settings.js';

/**
 * Runs a session and returns its exit code. This file reads the flags and config
 * (`cli/run-settings.ts`), renders (terminal, headless lines, --json, the dashboard) and asks the
 * person; what the session is built from (sandbox, policies, sweep, watchdog, stop guard) is
 * `supervisor/session-launch.ts`.
 */
export async function runCommand(taskArg: string | undefined, flags: RunFlags, io: Io, resume?: ResumeInput): Promise<ExitCode> {
  const settings = await readRunSettings(taskArg, flags, io, resume);
  const { workspace, target, config } = settings;
  const json = flags.json === true;
  const headless = json || flags.headless === true || !io.stdout.isTTY || Boolean(io.env['CI']);
  // a person can be asked only with a terminal on both ends
  const canAsk = !headless && process.stdin.isTTY === true;
  const launch = await SessionLaunch.prepare(settings);

  // the spinner's modules (ora) load only for a terminal
  const renderer = !headless
    ? new (await import('../../dashboard/tty-renderer.js')).TtyRenderer(io.stdout, flags.verbose === true)
    : undefined;
  // the live page (docs/dashboard.md): a second place to answer, beside the terminal
  const withDashboard = wantsDashboard(flags, headless);
  // questions a person can answer: at the terminal, on this run's page, or from `orchestrate dashboard`
  const questions = canAsk || withDashboard ? openRunQuestions() : undefined;
  const dashboard: RunDashboard | undefined =
    withDashboard && questions
      ? await startRunDashboard({
          ...(flags.port !== undefined ? { port: flags.port } : {}),
          workspace,
          target,
          ...(flags.config ? { config: flags.config } : {}),
          io,
          version: readVersion(),
          board: questions.board,
        })
      : undefined;
  if (dashboard) {
    io.stderr.write(`dashboard: ${dashboard.url}\n`);
    renderer?.setDashboardUrl(dashboard.url);
  }
  const ask = (q: PersonQuestion): Promise<'yes' | 'no' | 'timeout'> =>
    askAnywhere({
      ...q,
      ...(canAsk
        ? { terminal: { input: process.stdin, output: io.stderr, before: () => renderer?.stop(), after: () => renderer?.start() } }
        : {}),
      ...(questions ? { board: questions.board } : {}),
    });
  const progress = lineBatch(io.stdout);
  const write = progress.write;
  // sessions whose supervisor died leave groups behind: ended first; then the watchdog and the stop guard
  launch.begin();
  try {
    renderer?.start();
    const result = await launch.run({
      terminal: canAsk,
      page: dashboard !== undefined,
      ...(questions ? { ask, answerQuestion: (id: string, answer: 'yes' | 'no') => questions.board.answer(id, answer) } : {}),
      onJournal: (journal, paths) => {
        questions?.attach(journal, paths);
        dashboard?.attach(journal, paths);
        journal.subscribe(
          json ? createJsonReporter(write) : renderer ? renderer.onEntry : createHeadlessReporter(write, flags.verbose === true),
        );
        // the quick part of `orchestrate doctor`: an untested version, a missing login (stderr)
        journal.subscribe(startWarnings({ config, env: io.env, target, warn: (line) => void io.stderr.write(line) }));
      },
    });
    renderer?.stop();
    progress.flush();
    if (!json) {
      const paint = (kind: 'ok' | 'bad', text: string): string => (renderer ? (kind === 'ok' ? pc.green(text) : pc.red(text)) : text);
      io.stdout.write(`${renderSummaryLines(result.summary, path.join(result.dir, 'summary.md'), paint).join('\n')}\n`);
      // the changes are in the session copy: show them, then apply (--apply), ask, or say how
      return await offerApply(
        result,
        { apply: flags.apply === true, ...(canAsk ? { ask: (question: string) => ask({ kind: 'escalation', question }) } : {}) },
        io,
      );
    }
    if (flags.apply && result.exitCode === 0) return await offerApply(result, { apply: true }, { ...io, stdout: io.stderr });
    return result.exitCode;
  } finally {
    progress.close();
    renderer?.stop();
    await dashboard?.close();
    questions?.close();
    launch.close();
  }
}
