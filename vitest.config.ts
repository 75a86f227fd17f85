import { defineConfig } from 'vitest/config';

// `npm test`: unit tests (no processes, no real timers) and integration tests (the real
// orchestrate CLI against the simulated agents in fixtures/agents). The real-CLI suite is
// separate: vitest.compat.config.ts.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    exclude: ['test/compat/**', 'node_modules/**'],
    pool: 'forks',
    // Integration tests run whole sessions and wait for conditions, never for time: on a loaded
    // machine (2 cores, load 17) one takes minutes. These bounds only end a test that truly hangs.
    testTimeout: 300_000,
    hookTimeout: 120_000,
    restoreMocks: true,
    unstubEnvs: true,
  },
});
