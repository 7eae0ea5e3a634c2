// `doubletap run SCENARIO`: the game-day command. Exit code from the verdict (design contract).
import type { Command } from 'commander';
import { ConfigError } from '../errors';
import { createLogger } from '../log';
import { runExperiment } from '../run/experiment';
import { formatFailures, formatSideBySide } from '../run/summary';
import { parseScenario, readScenarioFile } from '../scenario/load';
import { onInterrupt } from './interrupt';

interface RunFlags {
  reportDir?: string;
  duration?: string;
  seed?: string;
  dryRun?: boolean;
  pretty?: boolean;
}

/** Flags override the scenario's values; the result is validated like the file itself. */
export function applyRunFlags(raw: Record<string, unknown>, flags: RunFlags): Record<string, unknown> {
  const out = { ...raw };
  if (flags.duration !== undefined) out.duration = flags.duration;
  if (flags.seed !== undefined) {
    if (!/^\d+$/.test(flags.seed)) throw new ConfigError([`--seed: must be a whole number (got ${flags.seed})`]);
    out.seed = Number(flags.seed);
  }
  if (flags.dryRun) out.dryRun = true;
  return out;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run an experiment: baseline → chaos window → settle → verify → verdict and report')
    .argument('<scenario>', 'scenario YAML file')
    .option('--report-dir <dir>', 'run directory (default runs/<name>-<time>)')
    .option('--duration <d>', 'chaos window, e.g. 30s (overrides the scenario)')
    .option('--seed <n>', 'seed for every decision (overrides the scenario)')
    .option('--dry-run', 'log every decision, send no copy')
    .option('--pretty', 'progress line and summary table even when stdout is not a TTY')
    .action(async (file: string, flags: RunFlags, cmd: Command) => {
      const scenario = parseScenario(applyRunFlags(readScenarioFile(file), flags));
      const logger = createLogger(cmd.optsWithGlobals().logLevel);
      const pretty = Boolean(flags.pretty || process.stdout.isTTY);
      const interrupt = onInterrupt();
      try {
        const result = await runExperiment(scenario, {
          reportDir: flags.reportDir, logger, pretty, signal: interrupt.signal,
          // Printed always: scripts find the proxy and the control API (for halt/status) here.
          onReady: ({ proxyUrl, controlUrl, runDir }) => {
            if (proxyUrl) process.stdout.write(`listening on ${proxyUrl}\n`);
            process.stdout.write(`control ${controlUrl}\nrun directory ${runDir}\n`);
          },
        });
        if (pretty) {
          process.stdout.write(formatSideBySide([{ title: scenario.name, verdict: result.verdict }]) + '\n');
          const failures = formatFailures(result.verdict);
          if (failures) process.stdout.write(failures + '\n');
        }
        process.stdout.write(`verdict ${result.verdict.status} · report ${result.reportFile}\n`);
        process.exitCode = result.exitCode;
      } finally {
        interrupt.dispose();
      }
    });
}
