// Child processes for the benchmark: every server under test runs in its own process so its CPU and
// memory are attributable. CPU and RSS come from /proc (works the same for Node and nginx).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');
const CLK_TCK = 100; // Linux USER_HZ: /proc/PID/stat counts CPU time in 1/100 s.

export interface Child {
  proc: ChildProcess;
  pid: number;
  /** The URL the child printed in its `listening on URL` line. */
  url: string;
  /** Ask a Node child (IPC) for a JSON answer. */
  ask<T = Record<string, unknown>>(cmd: string): Promise<T>;
  stop(): Promise<void>;
}

/** node's arguments after its own flags for `FILE ARGS` through tsx. */
function tsArgs(file: string, args: string[]): string[] {
  return ['--import', 'tsx', resolve(ROOT, file), ...args];
}

/** Starts `node --import tsx FILE ARGS` with an IPC channel and waits for `listening on URL`. */
export function startTs(file: string, args: string[] = [], nodeArgs: string[] = []): Promise<Child> {
  return startProcess(process.execPath, [...nodeArgs, ...tsArgs(file, args)], true);
}

/** node's arguments (after its own flags) for doubletap's bench proxy in front of `upstream` with
 * scenario `rules` (JSON): for a harness that starts node itself (bench/instructions.ts, under valgrind). */
export function doubletapArgs(upstream: string, rules: string, args: string[] = []): string[] {
  return tsArgs('bench/servers/doubletap-proxy.ts', ['--upstream', upstream, '--rules', rules, ...args]);
}

/** doubletap's bench proxy (bench/servers/doubletap-proxy.ts) in front of `upstream`, with scenario `rules` (JSON). */
export function startDoubletap(upstream: string, rules: string, args: string[] = [], nodeArgs: string[] = []): Promise<Child> {
  return startProcess(process.execPath, [...nodeArgs, ...doubletapArgs(upstream, rules, args)], true);
}

/** `ready` is the pattern of the child's ready line, or the URL itself for tools that print nothing. */
export function startProcess(cmd: string, args: string[], ipc: boolean, ready: RegExp | string = /listening on (\S+)/, readyMs = 20_000): Promise<Child> {
  const proc = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe', ...(ipc ? ['ipc' as const] : [])] });
  let waiters: Array<(m: unknown) => void> = [];
  proc.on('message', (m) => {
    const w = waiters;
    waiters = [];
    for (const f of w) f(m);
  });
  return new Promise((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`${cmd} ${args.join(' ')}: not ready after ${readyMs / 1000} s\n${out}`)), readyMs);
    const onData = (d?: Buffer) => {
      if (d) out += d.toString();
      const m = typeof ready === 'string' ? [ready, ready] : ready.exec(out);
      if (!m) return;
      clearTimeout(timer);
      proc.stdout?.off('data', onData);
      proc.stdout?.resume();
      proc.stderr?.resume();
      ok({
        proc,
        pid: proc.pid!,
        url: m[1],
        ask: (c) => new Promise((res) => { waiters.push(res as (m: unknown) => void); proc.send({ cmd: c }); }),
        stop: () => stopChild(proc),
      });
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', (d: Buffer) => { out += d.toString(); });
    proc.once('exit', (code) => { clearTimeout(timer); fail(new Error(`${cmd} exited with ${code} before ready\n${out}`)); });
    if (typeof ready === 'string') setImmediate(onData);
  });
}

export function stopChild(proc: ChildProcess, ms = 3000): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((ok) => {
    const t = setTimeout(() => proc.kill('SIGKILL'), ms);
    proc.once('exit', () => { clearTimeout(t); ok(); });
    proc.kill('SIGTERM');
  });
}

/** The pid and all its descendants (nginx: master + workers). */
export function pidTree(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    try {
      for (const tid of readdirSync(`/proc/${out[i]}/task`)) {
        const kids = readFileSync(`/proc/${out[i]}/task/${tid}/children`, 'utf8').trim();
        if (kids) out.push(...kids.split(/\s+/).map(Number));
      }
    } catch {
      // The process went away between listing and reading.
    }
  }
  return out;
}

/** User+system CPU seconds of the pid and its descendants. */
export function cpuSeconds(pid: number): number {
  let ticks = 0;
  for (const p of pidTree(pid)) {
    try {
      // Fields after the `(comm)`, which may contain spaces: utime and stime are fields 14 and 15.
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]);
    } catch {
      // Gone.
    }
  }
  return ticks / CLK_TCK;
}

/** Resident set size in bytes of the pid and its descendants. */
export function rssBytes(pid: number): number {
  let kb = 0;
  for (const p of pidTree(pid)) {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      if (m) kb += Number(m[1]);
    } catch {
      // Gone.
    }
  }
  return kb * 1024;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * CPU pinning for the HTTP cases: the proxy under test alone on the last CPU, this process and what
 * it starts (load generator, upstream) on the others — as in production, where the upstream runs on
 * another machine and its share of a copy's work never lands on the proxy's core. It also takes the
 * scheduler's migrations out of the rounds. Undefined when it cannot be done (one CPU, no taskset).
 */
export interface Pinning {
  /** Pin a started proxy (every thread of it and of its children: nginx's workers). */
  pinProxy(pid: number): void;
  /** This process back on every CPU (the parts after the HTTP one are not pinned). */
  release(): void;
}

export function pinning(): Pinning | undefined {
  const all = cpuList();
  if (all === undefined || all.length < 2) return undefined;
  const proxyCpu = String(all[all.length - 1]);
  const rest = all.slice(0, -1).join(',');
  const taskset = (cpus: string, pid: number) => execFileSync('taskset', ['-a', '-pc', cpus, String(pid)], { stdio: 'ignore' });
  try {
    taskset(rest, process.pid);
  } catch {
    return undefined;
  }
  return {
    pinProxy: (pid) => pidTree(pid).forEach((p) => taskset(proxyCpu, p)),
    release: () => taskset(all.join(','), process.pid),
  };
}

/** The CPUs this process may run on (`taskset -p` of itself), or undefined without taskset. */
function cpuList(): number[] | undefined {
  try {
    const out = execFileSync('taskset', ['-pc', String(process.pid)], { encoding: 'utf8' });
    return parseCpuList(out.slice(out.lastIndexOf(':') + 1));
  } catch {
    return undefined;
  }
}

/** `0-2,5` → [0, 1, 2, 5] (the kernel's cpu-list format, as taskset prints it). */
export function parseCpuList(list: string): number[] {
  return list.trim().split(',').flatMap((part) => {
    const [a, b] = part.split('-').map(Number);
    return b === undefined ? [a] : Array.from({ length: b - a + 1 }, (_, i) => a + i);
  });
}
