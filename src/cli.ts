// The doubletap command line. Each command lives in src/commands/ and is listed in its index map.
import { Command, CommanderError } from 'commander';
import { COMMANDS } from './commands';
import { ConfigError, DoubletapError, EXIT, exitCodeFor, messageOf } from './errors';

export function buildProgram(): Command {
  const program = new Command('doubletap')
    .description('Make duplicates happen on purpose, and show whether the service absorbed them.')
    .option('--log-level <level>', 'winston level for the JSON logs on stderr (default: DOUBLETAP_LOG_LEVEL, else info)')
    .showHelpAfterError()
    .exitOverride();
  for (const register of Object.values(COMMANDS)) register(program);
  return program;
}

/** Errors become one clear line on stderr and the contract exit code — never a stack trace. */
export function reportError(err: unknown): number {
  if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.pass : EXIT.invalid;
  if (err instanceof ConfigError) {
    process.stderr.write(`doubletap: invalid input\n${err.issues.map((i) => `  ${i}`).join('\n')}\n`);
  } else if (err instanceof DoubletapError) {
    process.stderr.write(`doubletap: ${err.message}\n`);
  } else {
    process.stderr.write(`doubletap: unexpected error: ${messageOf(err)}\n${(err as Error)?.stack ?? ''}\n`);
  }
  return exitCodeFor(err);
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    process.exitCode = reportError(err);
  }
}
