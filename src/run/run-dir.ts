// The run directory (contract): verdict.json, journal.jsonl, timeline.jsonl, index.html.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const RUN_FILES = {
  verdict: 'verdict.json',
  journal: 'journal.jsonl',
  timeline: 'timeline.jsonl',
  report: 'index.html',
} as const;

function stamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

/** `--report-dir DIR` is the run directory itself; without it, runs/<scenario>-<utc stamp>. */
export function makeRunDir(reportDir: string | undefined, scenarioName: string, now = new Date()): string {
  const dir = resolve(reportDir ?? join('runs', `${scenarioName}-${stamp(now)}`));
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function runFile(dir: string, name: keyof typeof RUN_FILES): string {
  return join(dir, RUN_FILES[name]);
}
