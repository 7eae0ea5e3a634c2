// `doubletap report RUN_DIR`: re-renders index.html from the run directory and prints its path.
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { ConfigError } from '../errors';
import { isHttpUrl } from '../report/grafana-link';
import { renderReport } from '../report/render';

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('re-render index.html from a run directory (verdict.json, timeline.jsonl) and print its path')
    .argument('<run-dir>', 'run directory written by `doubletap run`')
    .option('--grafana-url <url>', "link the Grafana experiment dashboard over the run's window (default: $DOUBLETAP_GRAFANA_URL)")
    .action(async (dir: string, flags: { grafanaUrl?: string }) => {
      const grafanaUrl = flags.grafanaUrl ?? (process.env.DOUBLETAP_GRAFANA_URL || undefined);
      if (grafanaUrl !== undefined && !isHttpUrl(grafanaUrl)) throw new ConfigError([`--grafana-url: ${JSON.stringify(grafanaUrl)} is not an http(s) URL`]);
      const out = await renderReport(resolve(dir), { grafanaUrl });
      process.stdout.write(out + '\n');
    });
}
