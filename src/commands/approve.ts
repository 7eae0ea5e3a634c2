// `doubletap approve SCENARIO --name NAME --expires 2h`: an approval file bound to the scenario's
// content hash (after ${ENV} and flags, exactly what will run) with an expiry. Run by the approver;
// keep the file where only approvers can write (a Secret mounted read-only into the CronJob).
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ConfigError } from '../errors';
import { approvalFileSchema } from '../gate/approval';
import { scenarioHash } from '../gate/content-hash';
import { formatDuration, parseDuration } from '../scenario/durations';
import { parseScenario, readScenarioFile } from '../scenario/load';
import { applyRunFlags } from './run';

/** An approval is for one run or one night, not a standing permission. */
const MAX_VALIDITY_MS = 7 * 24 * 3600_000;

interface ApproveFlags {
  name: string;
  expires: string;
  note?: string;
  out?: string;
  /** The run's own flags change what runs, so they change the hash: give the same ones. */
  duration?: string;
  seed?: string;
  dryRun?: boolean;
}

export function approvalFor(file: string, flags: ApproveFlags, now = Date.now()): string {
  const ms = parseDuration(flags.expires);
  if (ms === undefined || ms <= 0 || ms > MAX_VALIDITY_MS) throw new ConfigError([`--expires: must be a duration up to ${formatDuration(MAX_VALIDITY_MS)} (got ${flags.expires})`]);
  const approval = approvalFileSchema.safeParse({ name: flags.name, scenarioSha256: scenarioHash(parseScenario(applyRunFlags(readScenarioFile(file), flags))), expires: new Date(now + ms).toISOString(), note: flags.note });
  if (!approval.success) throw new ConfigError(approval.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`));
  return JSON.stringify(approval.data, null, 2) + '\n';
}

export function registerApprove(program: Command): void {
  program
    .command('approve')
    .description('write an approval file for a production scenario: bound to its content hash, with an expiry')
    .argument('<scenario>', 'scenario YAML file (the one that will run, with the same environment)')
    .requiredOption('--name <name>', 'who approves (recorded in the journal as `who`)')
    .requiredOption('--expires <duration>', 'valid for this long, e.g. 12h (at most 7 days)')
    .option('--note <text>', 'why (recorded in the file)')
    .option('--out <file>', 'write here instead of stdout')
    .option('--duration <d>', 'the same --duration the run will get')
    .option('--seed <n>', 'the same --seed the run will get')
    .option('--dry-run', 'approve the dry run (`doubletap run --dry-run`)')
    .action((file: string, flags: ApproveFlags) => {
      const text = approvalFor(file, flags);
      if (flags.out) writeFileSync(flags.out, text, { mode: 0o600 });
      else process.stdout.write(text);
    });
}
