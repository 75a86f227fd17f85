// A sandboxed agent goes after the session's spawn service (src/process/spawn-service*.ts), which
// runs orchestrate's git on the host: it tries to replace the binary in `<session>/spawn/` and to
// find the service's process to write into its request pipe. Through the real orchestrate CLI,
// with a simulated claude playing the attacker.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OrchestrateHarness, SANDBOX_USABLE } from '../helpers/orchestrate-harness.js';

let h: OrchestrateHarness | undefined;
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
});

describe.runIf(SANDBOX_USABLE)('the spawn service against a hostile agent', () => {
  it('cannot be replaced or reached from the sandbox; the session after the attack still runs its git through it', async () => {
    h = new OrchestrateHarness({ agents: ['claude'] });
    const marker = path.join(h.root, 'REPLACED-SERVICE-RAN');
    const sessions = path.join(h.workspace, 'sessions');
    const script = [
      `for f in ${sessions}/*/spawn/spawn-service; do echo "target $f" >> tried.txt; printf '#!/bin/sh\\ntouch ${marker}\\n' 2>> tried.txt > "$f"; echo "write $?" >> tried.txt; done`,
      `for p in /proc/[0-9]*; do [ "$(cat $p/comm 2>/dev/null)" = spawn-service ] && { echo "found $p" >> tried.txt; printf 'xxxxxxxxxxxx' > $p/fd/0; }; done`,
      'echo changed > changed.txt; true',
    ].join('\n');
    // run from a file the command filter cannot read, so the sandbox alone has to hold
    const attack = `echo ${Buffer.from(script).toString('base64')} | base64 -d > attack.sh; sh attack.sh`;
    const file = path.join(h.logDir, 'attack.json');
    writeFileSync(file, JSON.stringify({ description: 'attack the spawn service', steps: [{ shell: attack }, { say: 'DONE: attacked' }] }));
    const exit = await h.run(['--agents', 'claude', '--no-review', 'Add a --json flag to the report command'], {
      FAKE_CLAUDE_SCENARIO: file,
    });
    expect(exit.code, exit.stdout).toBe(0);
    const said = JSON.stringify(h.journal().filter((e) => e.type.startsWith('safety.') || e.type === 'agent.tool_result'));
    expect(existsSync(h.inCopy('tried.txt')), said).toBe(true);
    const tried = readFileSync(h.inCopy('tried.txt'), 'utf8');
    // it saw the binary's path and tried to write over it: refused, and it never ran
    expect(tried).toMatch(/^target .*\/spawn\/spawn-service$/m);
    expect(tried).not.toMatch(/^write 0$/m);
    expect(tried).not.toMatch(/^found /m); // its own pid namespace: the service is not there to find
    const binary = path.join(h.sessionDir(), 'spawn', 'spawn-service');
    expect(readFileSync(binary).subarray(0, 4).toString('latin1')).toBe('\x7fELF');
    expect(existsSync(marker)).toBe(false);
    // the service ran the session's git throughout (it journals when it is lost) and the change is there
    const entries = h.journal().filter((e) => e.type === 'session.spawn_service');
    expect(entries).toEqual([expect.objectContaining({ pid: expect.any(Number) })]);
    expect(h.json('summary.json').filesChanged.added).toContain('changed.txt'); // found by git (read-tree, add, write-tree)
  });
});
