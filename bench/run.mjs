// `npm run bench`: every benchmark, one JSON line each. Figures are reported, never asserted.
import { runIngest } from './ingest.mjs';
import { runReaction } from './reaction.mjs';
import { runDashboardBench } from './dashboard.mjs';

console.log(JSON.stringify(runIngest()));
console.log(JSON.stringify(await runReaction()));
console.log(JSON.stringify(await runDashboardBench()));
const { runSessionCopy } = await import('./session-copy.mjs');
console.log(JSON.stringify(runSessionCopy()));
const { runSandboxBench } = await import('./sandbox.mjs');
console.log(JSON.stringify(runSandboxBench()));
