// `doubletap status`: the running doubletap's snapshot (phase, counts, pending, halted) as JSON.
import type { Command } from 'commander';
import { callControl, controlUrlFrom } from '../control/client';
import { addControlFlags, type ControlFlags, tokenFrom } from './halt';

export function registerStatus(program: Command): void {
  addControlFlags(
    program.command('status').description('print the status of a running doubletap as JSON (exit 2 if unreachable)'),
  ).action(async (flags: ControlFlags) => {
    const status = await callControl(controlUrlFrom(flags.control), '/status', { token: tokenFrom(flags) });
    process.stdout.write(JSON.stringify(status, null, 2) + '\n');
  });
}
