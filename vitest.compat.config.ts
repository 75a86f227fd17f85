// The real-CLI compatibility suite (docs/compat.md): `npm run test:compat`.
// Installs the pinned real claude/codex/gemini once (globalSetup; fails, never skips, if it cannot)
// and runs them offline against test/compat/model-server.ts.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/compat/**/*.test.ts'],
    pool: 'forks',
    globalSetup: ['test/compat/global-setup.ts'],
    // A real CLI run takes 1-10 s idle (gemini's start is the slowest), but several times that on a
    // loaded 2-core machine (gemini's 500 test: 92 s at load 17). These only end a test that hangs:
    // each orchestrate run is ended first by its own --timeout (5m), then by the harness's bound.
    testTimeout: 600_000,
    hookTimeout: 300_000,
    teardownTimeout: 30_000,
  },
});
