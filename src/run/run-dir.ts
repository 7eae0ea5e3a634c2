// The run directory (contract): verdict.json, journal.jsonl, timeline.jsonl, index.html.
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ConfigError } from '../errors';

export const RUN_FILES = {
  verdict: 'verdict.json',
  journal: 'journal.jsonl',
  timeline: 'timeline.jsonl',
  report: 'index.html',
} as const;

function stamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

/**
 * mkdir -p, one level at a time and each level once. Node's recursive mkdirSync spins at 100 % CPU on
 * some paths (`/proc/self/nope`: ENOENT forever) and ignores signals; here every failure is a
 * ConfigError naming `label` and the path, and a directory that exists must be writable.
 */
export function ensureDir(dir: string, label: string): void {
  const missing: string[] = [];
  let at = resolve(dir);
  for (;;) {
    let isDir: boolean | undefined;
    try {
      isDir = statSync(at).isDirectory();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // ENOTDIR: a parent is a file; walking up finds it and says so.
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw problem(label, dir, `cannot inspect ${at}`, err);
    }
    if (isDir === false) throw new ConfigError([`${label}: ${at} is a file, not a directory (for ${dir})`]);
    if (isDir === true) break;
    missing.unshift(at);
    const parent = dirname(at);
    if (parent === at) break;
    at = parent;
  }
  for (const d of missing) {
    try {
      mkdirSync(d);
    } catch (err) {
      throw problem(label, dir, `cannot create ${d}`, err);
    }
  }
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (err) {
    throw problem(label, dir, `${dir} is not writable`, err);
  }
}

function problem(label: string, dir: string, what: string, err: unknown): ConfigError {
  const code = (err as NodeJS.ErrnoException)?.code ?? String(err);
  return new ConfigError([`${label}: ${what} (${code})${what.includes(dir) ? '' : ` for ${dir}`}`]);
}

/** `--report-dir DIR` is the run directory itself; without it, runs/<scenario>-<utc stamp>. */
export function makeRunDir(reportDir: string | undefined, scenarioName: string, now = new Date()): string {
  const dir = resolve(reportDir ?? join('runs', `${scenarioName}-${stamp(now)}`));
  ensureDir(dir, '--report-dir');
  return dir;
}

export function runFile(dir: string, name: keyof typeof RUN_FILES): string {
  return join(dir, RUN_FILES[name]);
}
