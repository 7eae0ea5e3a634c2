// `doubletap halt`: stop every copy of a running doubletap now; originals keep flowing.
import type { Command } from 'commander';
import { callControl, controlUrlFrom } from '../control/client';

export interface ControlFlags {
  control?: string;
  token?: string;
}

/** Shared by halt and status: the flags and where their defaults come from. */
export function addControlFlags(cmd: Command): Command {
  return cmd
    .option('--control <url>', 'control API URL (default: $DOUBLETAP_CONTROL or http://127.0.0.1:7070)')
    .option('--token <token>', 'bearer token (default: $DOUBLETAP_TOKEN)');
}

export function tokenFrom(flags: ControlFlags, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return flags.token ?? (env.DOUBLETAP_TOKEN || undefined);
}

export function registerHalt(program: Command): void {
  addControlFlags(
    program
      .command('halt')
      .description('halt a running doubletap: cancel pending copies and send no new ones (exit 2 if unreachable)'),
  )
    .option('--reason <text>', 'why; recorded in the log and the status')
    .action(async (flags: ControlFlags & { reason?: string }) => {
      const url = controlUrlFrom(flags.control);
      const body = flags.reason !== undefined ? { reason: flags.reason } : {};
      const res = (await callControl(url, '/halt', { method: 'POST', token: tokenFrom(flags), body })) as { reason?: string };
      process.stdout.write(`halted${res.reason ? `: ${res.reason}` : ''}\n`);
    });
}
