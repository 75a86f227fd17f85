// The measured process of bench/dashboard.mjs: either the dashboard (mode "dashboard") or, as the
// baseline, a bare follower of the same journal (mode "follow": what any live view must at least do).
import { startDashboard } from '../dist/dashboard/web/server.js';
import { followJournal } from '../dist/session/follow-journal.js';

const [mode, workspace, dir] = process.argv.slice(2);
process.on('SIGTERM', () => process.exit(0)); // a clean exit (a --cpu-prof run writes its profile)
if (mode === 'dashboard') {
  const d = await startDashboard({ port: 0, workspace, version: 'bench' });
  console.log(d.url);
} else {
  let lines = 0;
  console.log('following');
  process.on('SIGUSR2', () => console.log(String(lines)));
  await followJournal({ dir, onLine: () => (lines += 1) });
}
