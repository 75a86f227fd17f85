import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Compiles one C file with the first compiler found (cc, gcc, clang); false when there is none or it fails.
 * Linked dynamically: a static build showed no gain per hook call that stood out of the noise
 * (bench/RESULTS.md) and takes 0.3 s longer to build at every session start.
 */
export function compileC(source: string, binary: string, pathEnv: string | undefined): boolean {
  const compiler = findCompiler(pathEnv);
  if (!compiler) return false;
  const built = spawnSync(compiler, compileArgs(source, binary), { stdio: 'ignore', timeout: 60_000 });
  return built.status === 0 && executable(binary);
}

/** `compileC` without blocking the event loop, so it can run beside other start-up work (another compile). */
export function compileCAsync(source: string, binary: string, pathEnv: string | undefined): Promise<boolean> {
  const compiler = findCompiler(pathEnv);
  if (!compiler) return Promise.resolve(false);
  return new Promise((resolve) => {
    execFile(compiler, compileArgs(source, binary), { timeout: 60_000 }, (error) => resolve(!error && executable(binary)));
  });
}

/** The one way both compile: optimised, dynamically linked (see compileC). */
function compileArgs(source: string, binary: string): string[] {
  return ['-O2', '-o', binary, source];
}

/** The compiler's output made executable; false when it wrote none. */
function executable(binary: string): boolean {
  if (!existsSync(binary)) return false;
  chmodSync(binary, 0o755);
  return true;
}

function findCompiler(pathEnv: string | undefined): string | undefined {
  return ['cc', 'gcc', 'clang']
    .flatMap((c) => ['/usr/bin', '/bin', ...(pathEnv ?? '').split(':')].filter((d) => d && path.isAbsolute(d)).map((d) => path.join(d, c)))
    .find((p) => existsSync(p));
}
