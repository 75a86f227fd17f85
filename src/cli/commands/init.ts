import { existsSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { AGENT_IDS, type AgentId } from '../../agents/agent-id.js';
import { getAdapter } from '../../agents/registry.js';
import { CONFIG_SCHEMA_FILE } from '../../config/json-schema.js';
import { DEFAULT_CONFIG_NAME, loadConfig } from '../../config/load.js';
import { starterConfig } from '../../config/starter-config.js';
import { EXIT, UsageError, type ExitCode } from '../../errors.js';
import { resolveExecutable } from '../../process/resolve-executable.js';
import type { Io } from '../io.js';

interface InitFlags {
  target?: string;
  config?: string;
  print?: boolean;
  force?: boolean;
}

/** The JSON Schema shipped with this orchestrate (the package root, beside package.json). */
const SHIPPED_SCHEMA = fileURLToPath(new URL(`../../../${CONFIG_SCHEMA_FILE}`, import.meta.url));

/**
 * `orchestrate init`: writes a commented starting config into the target (`--print`: to stdout
 * instead), never over an existing file without `--force`. The written file is loaded back before
 * init reports success, so it is known to be valid.
 */
export function registerInitCommand(program: Command, io: Io, setExit: (code: ExitCode) => void): void {
  program
    .command('init')
    .description(`write a commented starting ${DEFAULT_CONFIG_NAME} into the target`)
    .option('--target <dir>', 'the project (default: the current directory)')
    .option('--config <file>', `where to write it (default <target>/${DEFAULT_CONFIG_NAME})`)
    .option('--print', 'print it on stdout instead of writing a file')
    .option('--force', 'overwrite an existing config file')
    .action((_flags: InitFlags, cmd: Command) => {
      const flags = cmd.optsWithGlobals<InitFlags>();
      const target = path.resolve(io.cwd, flags.target ?? '.');
      if (!existsSync(target) || !statSync(target).isDirectory())
        throw new UsageError(`--target: not a directory: ${target}`, 'give the project directory');
      const file = flags.config ? path.resolve(io.cwd, flags.config) : path.join(target, DEFAULT_CONFIG_NAME);
      const found = Object.fromEntries(
        AGENT_IDS.map((id) => [id, resolveExecutable(getAdapter(id).defaultExecutable, io.env['PATH'], target)]),
      ) as Record<AgentId, string | undefined>;
      const text = starterConfig({ schemaRef: schemaRef(path.dirname(file)), found });
      if (flags.print) {
        io.stdout.write(text);
        setExit(EXIT.OK);
        return;
      }
      if (existsSync(file) && !flags.force)
        throw new UsageError(
          `${file} already exists; nothing was written`,
          'keep it, or run orchestrate init --force to replace it (--print shows the starting config)',
        );
      writeFileSync(file, text);
      loadConfig(file, target);
      io.stdout.write(
        `wrote ${file}\nnext: orchestrate doctor${flags.target ? ` --target ${target}` : ''} (checks the agents, the sandbox and the workspace)\n`,
      );
      setExit(EXIT.OK);
    });
}

/** `$schema`: the shipped schema, relative to the config's folder (editors resolve it from there). */
function schemaRef(configDir: string): string {
  const rel = path.relative(configDir, SHIPPED_SCHEMA).split(path.sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}
