// Standing proxies as real child processes (`doubletap proxy --standing`), for the arming tests.
import { runCli, stopCli, type CliResult } from '../../helpers/cli';
import { freePort } from '../../helpers/prometheus';

export interface Standing {
  proxyUrl: string;
  controlUrl: string;
  cli: CliResult;
  stop(signal?: NodeJS.Signals): Promise<unknown>;
}

/** Starts a standing proxy; ports are chosen here so a restart can reuse them. */
export async function startStanding(upstream: string, replica: string, ports?: { proxy: number; control: number }, extra: string[] = []): Promise<Standing & { ports: { proxy: number; control: number } }> {
  const p = ports ?? { proxy: await freePort(), control: await freePort() };
  const cli = await runCli(
    ['proxy', '--standing', '--upstream', upstream, '--listen', `127.0.0.1:${p.proxy}`, '--control', `127.0.0.1:${p.control}`, '--replica', replica, ...extra],
    { until: /control on \S+/, timeoutMs: 120_000, env: { DOUBLETAP_LOG_LEVEL: 'warn' } },
  );
  if (cli.code !== null) throw new Error(`standing proxy exited ${cli.code}: ${cli.stderr}`);
  return {
    ports: p,
    proxyUrl: /listening on (\S+)/.exec(cli.stdout)![1]!,
    controlUrl: /control on (\S+)/.exec(cli.stdout)![1]!,
    cli,
    stop: (signal = 'SIGTERM') => stopCli(cli, signal),
  };
}

export async function arming(controlUrl: string): Promise<{ armed: { runId: string } | null; pending: number; counts: { originals: number } }> {
  return (await (await fetch(`${controlUrl}/arming`)).json()) as never;
}

export function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}
