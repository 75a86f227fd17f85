// `npm run bench`: every benchmark, one JSON line each. Figures are reported, never asserted.
// `npm run bench -- quick` leaves out the two that take minutes (32 sandboxed agents, real CLIs).
import { runIngest } from './ingest.mjs';
import { runReaction } from './reaction.mjs';
import { runReactionFresh } from './reaction-fresh.mjs';
import { runSessionIngest } from './session-ingest.mjs';
import { runDashboardBench } from './dashboard.mjs';
import { runLinePath } from './line-path.mjs';

const quick = process.argv.includes('quick');
console.log(JSON.stringify(runIngest()));
console.log(JSON.stringify(await runReaction()));
console.log(JSON.stringify(runReactionFresh()));
console.log(JSON.stringify(await runSessionIngest()));
console.log(JSON.stringify(await runDashboardBench()));
console.log(JSON.stringify(await runLinePath()));
if (!quick) {
  const { runSessionCopy } = await import('./session-copy.mjs');
  console.log(JSON.stringify(runSessionCopy()));
  const { runSandboxBench } = await import('./sandbox.mjs');
  console.log(JSON.stringify(runSandboxBench()));
  const { runScale } = await import('./scale.mjs');
  console.log(JSON.stringify(await runScale()));
  const { runHookCost } = await import('./hook-cost.mjs');
  console.log(JSON.stringify(await runHookCost()));
}
