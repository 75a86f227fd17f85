// Setup file that runs a test file's git through the spawn service (src/process/spawn-service.ts)
// instead of Node's spawn: `npx vitest run --config vitest.spawn-service.config.ts <files>`.
// In-process sessions do not start one (only CLI sessions do), so this is how the git tests are
// run both ways. It fails the file if the service died; it prints how many commands it answered
// (0 where the file's git runs in orchestrate CLI children, which start a service of their own).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { SpawnService, useSpawnService } from '../../src/process/spawn-service.js';

let service: SpawnService | undefined;
let done: (() => void) | undefined;
const dir = mkdtempSync(path.join(os.tmpdir(), 'orch-spawnsvc-setup-'));

beforeAll(async () => {
  service = await SpawnService.start(path.join(dir, 'spawn'), process.env['PATH']);
  if (!service) throw new Error('the spawn service did not build');
  done = useSpawnService(service);
});

afterAll(async () => {
  done?.();
  const served = service?.served ?? 0;
  const alive = service?.alive;
  await service?.close();
  rmSync(dir, { recursive: true, force: true });
  console.log(`spawn service: ${served} command(s) answered`);
  expect(alive).toBe(true);
});
