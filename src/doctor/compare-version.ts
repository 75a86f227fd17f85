/** The first `x.y.z` in a `--version` line (`2.1.330 (Claude Code)`, `codex-cli 0.169.0`), or undefined. */
export function versionIn(line: string): string | undefined {
  return /(\d+)\.(\d+)\.(\d+)/.exec(line)?.[0];
}

/** Compares two `x.y.z` versions numerically: negative, 0, positive. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
