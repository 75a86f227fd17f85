import { stripAnsi } from './strip-ansi.js';

/** Lines that close a crash report without saying anything about it. */
const NOISE = [
  /^Node\.js v\d+/, // Node's footer after an uncaught exception
  /^\s+at\s/, // stack frames
  /^\s*\^+\s*$/, // the caret under the failing source line
  /^\s*[{}[\]]\s*$/, // the braces around an error's own properties
  /^\s*(errno|code|syscall|path|dest|cause):\s/, // those properties
  /^\s*(Thrown at|Emitted 'error' event)/,
  /^\(Use `node --trace-/,
];

/** Lines that state an error. */
const ERROR_LINE = /\b(E[A-Z0-9]{2,}:\s|[A-Z]\w*Error\b|Error:|error:|ERROR\b|fatal|FATAL|panicked|Traceback)/;

/**
 * The line of a run's stderr that says why it failed: the last line that states an error, else
 * the last line that is not a crash report's noise (`Node.js v20.20.2`, stack frames, carets).
 */
export function meaningfulStderrLine(stderr: string): string | undefined {
  const lines = stripAnsi(stderr)
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '' && !NOISE.some((n) => n.test(l)));
  const line = [...lines].reverse().find((l) => ERROR_LINE.test(l)) ?? lines.at(-1);
  return line?.trim().slice(0, 300);
}
