import os from 'node:os';

/** `child` is `parent` or below it. Both absolute and normalised (no `..`, no doubled `/`). */
export function isWithin(child: string, parent: string): boolean {
  if (parent === '/') return true;
  const dir = parent.endsWith('/') ? parent.slice(0, -1) : parent;
  return child === dir || child.startsWith(`${dir}/`);
}

/** The person's home folder as the given environment names it: `HOME`, else the account's. */
export function homeOf(env: Readonly<Record<string, string | undefined>>): string {
  return env['HOME'] ?? os.homedir();
}
