import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

// The git tests with every runSafeGitAsync going through the spawn service (test/helpers/spawn-service-setup.ts).
export default mergeConfig(base, defineConfig({ test: { setupFiles: ['test/helpers/spawn-service-setup.ts'] } }));
