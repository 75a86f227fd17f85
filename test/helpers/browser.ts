// Real headless Chromium (Debian's `chromium`, installed by .ci/run) driven by playwright-core.
// Each test gets a fresh profile directory; closing the context ends the browser and removes it.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { WAIT_CEILING_MS } from './until.js';

export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

const FLAGS = [
  '--headless',
  '--no-sandbox', // as root in a container Chromium's own sandbox cannot start
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  page: Page;
  context: BrowserContext;
  close(): Promise<void>;
}

/** Starts Chromium with one page. */
export async function openBrowser(): Promise<Browser> {
  if (!CHROMIUM) throw new Error('chromium is not installed: apt-get install -y chromium (.ci/run does it)');
  const profile = mkdtempSync(path.join(os.tmpdir(), 'orch-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    timeout: WAIT_CEILING_MS,
  });
  // every wait on the page is for something sure to come: a ceiling for "never", not a speed bound
  context.setDefaultTimeout(WAIT_CEILING_MS);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    page,
    context,
    close: async () => {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
