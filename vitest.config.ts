import { defineConfig } from 'vitest/config';

// `npm test`: unit tests (no processes, no real timers) and integration tests (the real
// orchestrate CLI against the simulated agents in fixtures/agents). The real-CLI suite is
// separate: vitest.compat.config.ts.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    exclude: ['test/compat/**', 'node_modules/**'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 30_000,
    restoreMocks: true,
    unstubEnvs: true,
  },
});
