// runCli: run the doubletap CLI (src/cli.ts through tsx, no build needed) as a child process.
// Shared by every command's tests. `node -r tsx/cjs test/helpers/cli-main.ts ...args`.
import { spawn } from 'node:child_process';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
const ENTRY = path.join(__dirname, 'cli-main.ts');
const TSX_CJS = require.resolve('tsx/cjs', { paths: [REPO_ROOT] });

export interface RunCliOptions {
  /** Merged over process.env; a value of undefined removes the variable (e.g. DOUBLETAP_TOKEN). */
  env?: Record<string, string | undefined>;
  /** Working directory; default the repo root. Relative scenario paths resolve against it. */
  cwd?: string;
  /** Kill the child (SIGKILL) after this long; the result then has timedOut: true. Default 20 s. */
  timeoutMs?: number;
  /** Written to the child's stdin, which is then closed. */
  input?: string;
  /** Resolve as soon as stdout contains this (e.g. 'listening on'); the child keeps running: use result.child. */
  until?: string | RegExp;
}

export interface CliResult {
  /** Exit code; null when killed by a signal (see signal / timedOut). */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** The child process (still running when `until` matched). */
  child: import('node:child_process').ChildProcess;
}

export function runCli(args: string[], opts: RunCliOptions = {}): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  const child = spawn(process.execPath, ['--require', TSX_CJS, ENTRY, ...args], {
    cwd: opts.cwd ?? REPO_ROOT,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let timedOut = false;
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdin.on('error', () => {}); // the child may exit before reading its stdin
  child.stdin.end(opts.input ?? '');

  return new Promise<CliResult>((resolve, reject) => {
    let settled = false;
    const done = (r: Omit<CliResult, 'stdout' | 'stderr' | 'timedOut' | 'child'>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...r, stdout, stderr, timedOut, child });
    };
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? 20_000);
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      const u = opts.until;
      if (u !== undefined && (typeof u === 'string' ? stdout.includes(u) : u.test(stdout))) {
        done({ code: null, signal: null });
      }
    });
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      if (!settled) {
        settled = true;
        reject(err);
      }
    });
    child.on('close', (code, signal) => done({ code, signal }));
  });
}

/** Stop a child started with `until` and wait for it to exit; returns the final result fields. */
export function stopCli(r: CliResult, signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 10_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const child = r.child;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => {
    const t = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code, sig) => {
      clearTimeout(t);
      resolve({ code, signal: sig });
    });
    child.kill(signal);
  });
}
