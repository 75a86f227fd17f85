// The real-CLI compatibility suite (docs/compat.md): `npm run test:compat`.
// Installs the pinned real claude/codex/gemini once (globalSetup; fails, never skips, if it cannot)
// and runs them offline against test/compat/model-server.ts.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/compat/**/*.test.ts'],
    pool: 'forks',
    globalSetup: ['test/compat/global-setup.ts'],
    // A real CLI run takes 1-10 s here (gemini's start is the slowest); error runs include one retry.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
  },
});
