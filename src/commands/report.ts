// `doubletap report RUN_DIR`: re-renders index.html from the run directory and prints its path.
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { renderReport } from '../report/render';

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('re-render index.html from a run directory (verdict.json, timeline.jsonl) and print its path')
    .argument('<run-dir>', 'run directory written by `doubletap run`')
    .action(async (dir: string) => {
      const out = await renderReport(resolve(dir));
      process.stdout.write(out + '\n');
    });
}
