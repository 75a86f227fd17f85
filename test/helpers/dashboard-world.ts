// What every dashboard test sets up: a scratch world (harness) and real headless Chromium per
// test, both ended after it; the URL a dashboard prints; a plan file; a standalone dashboard's stop.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach } from 'vitest';
import { openBrowser, type Browser } from './browser.js';
import { parseDashboardUrl, type DashboardUrl } from './dashboard-client.js';
import { OrchestrateHarness, type HarnessOptions, type OrchestrateRun } from './orchestrate-harness.js';
import { until } from './until.js';

export interface DashboardWorld {
  /** A new scratch world for this test, cleaned up (its processes killed) after it. */
  harness(options?: HarnessOptions): OrchestrateHarness;
  /** Real headless Chromium for this test, closed after it. */
  browser(): Promise<Browser>;
}

/** Registers the afterEach that ends what each test of the file opened (browser first, then the world). */
export function useDashboardWorld(): DashboardWorld {
  const harnesses: OrchestrateHarness[] = [];
  const browsers: Browser[] = [];
  afterEach(async () => {
    for (const b of browsers.splice(0)) await b.close();
    for (const h of harnesses.splice(0)) await h.cleanup();
  });
  return {
    harness(options) {
      const h = new OrchestrateHarness(options);
      harnesses.push(h);
      return h;
    },
    async browser() {
      const b = await openBrowser();
      browsers.push(b);
      return b;
    },
  };
}

/** The dashboard URL `run` prints (a run's own on stderr, `orchestrate dashboard`'s on stdout), waited for. */
export function dashboardUrl(run: OrchestrateRun, stream: 'stdout' | 'stderr'): Promise<DashboardUrl> {
  return until(() => parseDashboardUrl(stream === 'stdout' ? run.stdout() : run.stderr()), {
    what: `the dashboard URL on ${stream}`,
  });
}

/** Writes a plan file with these assignments into the world's root; returns its path. */
export function writePlan(h: OrchestrateHarness, assignments: object[]): string {
  const file = path.join(h.root, 'plan.json');
  writeFileSync(file, JSON.stringify({ assignments }));
  return file;
}

/** Stops a standalone `orchestrate dashboard` with SIGTERM; returns its exit code. */
export async function stopDashboard(dash: OrchestrateRun): Promise<number | null> {
  dash.child.kill('SIGTERM');
  return (await dash.exited).code;
}
