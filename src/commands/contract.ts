// `doubletap contract --openapi SPEC --base-url URL`: the duplicate-injection contract test of every
// mutating operation, for CI. Exit 0 all pass · 1 any fail · 2 bad spec or flags · 4 inconclusive.
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { ConfigError, EXIT, messageOf } from '../errors';
import { writeContractReport } from '../contract/html-report';
import { renderJunit } from '../contract/junit';
import { runContract, type ContractOptions } from '../contract/run';
import { formatTable } from '../contract/table';
import { parseDuration, parseHostPort } from '../scenario/durations';

export interface ContractFlags {
  openapi: string;
  baseUrl: string;
  only?: string;
  operations: string;
  reportDir?: string;
  junit?: string;
  probes?: string;
  seed: string;
  concurrency: string;
  keyHeader: string;
  timeout: string;
  identityPointer?: string;
  runId?: string;
  storeLink?: string;
  onStoreDown: string;
}

const STATUS_EXIT = { pass: EXIT.pass, fail: EXIT.fail, inconclusive: EXIT.inconclusive } as const;

/** Every flag problem at once, each naming its flag (exit 2, nothing sent). */
export function contractOptions(f: ContractFlags, now = Date.now()): ContractOptions {
  const issues: string[] = [];
  let baseUrl = f.baseUrl;
  try {
    const u = new URL(f.baseUrl);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') issues.push(`--base-url: must be http:// or https:// (got ${u.protocol})`);
    if (u.username || u.password) issues.push('--base-url: no credentials in the URL (reports and logs would show them)');
    baseUrl = u.href.replace(/\/+$/, '');
  } catch {
    issues.push(`--base-url: not a URL (${f.baseUrl})`);
  }
  if (f.operations !== 'all' && f.operations !== 'marked') issues.push(`--operations: must be all or marked (got ${f.operations})`);
  if (!/^\d+$/.test(f.seed)) issues.push(`--seed: must be a whole number (got ${f.seed})`);
  const concurrency = Number(f.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 2 || concurrency > 100) issues.push(`--concurrency: must be a whole number from 2 to 100 (got ${f.concurrency})`);
  const timeoutMs = parseDuration(f.timeout);
  if (timeoutMs === undefined || timeoutMs <= 0) issues.push(`--timeout: must be a duration like 10s (got ${f.timeout})`);
  if (!/^[A-Za-z0-9-]+$/.test(f.keyHeader)) issues.push(`--key-header: not a header name (got ${f.keyHeader})`);
  if (f.runId !== undefined && !/^[A-Za-z0-9-]{1,40}$/.test(f.runId)) issues.push(`--run-id: letters, digits and - only, at most 40 (got ${f.runId})`);
  const probes = f.probes ? readProbesFile(f.probes, issues) : {};
  const [listen, target] = (f.storeLink ?? '').split('=');
  if (f.storeLink !== undefined && !(listen && target && parseHostPort(listen) && parseHostPort(target))) {
    issues.push(`--store-link: must be LISTEN=TARGET, both HOST:PORT (got ${f.storeLink})`);
  }
  if (f.onStoreDown !== 'fail-closed' && f.onStoreDown !== 'fail-open') issues.push(`--on-store-down: must be fail-closed or fail-open (got ${f.onStoreDown})`);
  if (issues.length) throw new ConfigError(issues);
  return {
    openapi: f.openapi, baseUrl, seed: Number(f.seed), concurrency, timeoutMs: timeoutMs!, keyHeader: f.keyHeader,
    operations: f.operations as 'all' | 'marked', only: (f.only ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    probes, identityPointer: f.identityPointer, runId: f.runId ?? `${f.seed}-${now.toString(36)}`,
    storeLink: f.storeLink ? { listen, target, policy: f.onStoreDown as 'fail-closed' | 'fail-open' } : undefined,
  };
}

function readProbesFile(file: string, issues: string[]): Record<string, unknown> {
  try {
    const v: unknown = parseYaml(readFileSync(file, 'utf8'));
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
    issues.push(`--probes: ${file} must map "METHOD /path" to a probe`);
  } catch (err) {
    issues.push(`--probes: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? messageOf(err)}`);
  }
  return {};
}

export function registerContract(program: Command): void {
  program
    .command('contract')
    .description('duplicate-injection contract test of every mutating operation in an OpenAPI document (a CI gate)')
    .requiredOption('--openapi <spec>', 'OpenAPI 3.0/3.1 document, YAML or JSON (local $refs resolved)')
    .requiredOption('--base-url <url>', 'where the API runs, e.g. http://127.0.0.1:8080')
    .option('--only <paths>', 'comma-separated paths or "METHOD /path" to test (default: every selected operation)')
    .option('--operations <which>', 'all mutating operations, or only those marked with x-idempotency (all|marked)', 'all')
    .option('--report-dir <dir>', 'write index.html and contract.json here')
    .option('--junit <file>', 'write JUnit XML here')
    .option('--probes <file>', 'YAML mapping "METHOD /path" → probe (sql+url, http+path, prometheus+url); wins over x-doubletap-probe')
    .option('--seed <n>', 'seed for generated bodies and parameters', '1')
    .option('--concurrency <n>', 'requests sent at once in the concurrent check', '5')
    .option('--key-header <name>', 'the idempotency key header', 'Idempotency-Key')
    .option('--timeout <d>', 'per request', '10s')
    .option('--identity-pointer <ptr>', 'JSON pointer of the resource identity in answers (default: id, else every *_id)')
    .option('--store-link <listen=target>', 'check 5: a link in front of the dedup store (point the service at LISTEN; TARGET is the store)')
    .option('--on-store-down <policy>', 'what the service must do while its store is down: fail-closed (5xx, no side effect) or fail-open (2xx)', 'fail-closed')
    .option('--run-id <id>', 'part of every key (default: seed and start time, so reruns never collide)')
    .action(async (flags: ContractFlags) => {
      process.exitCode = await runContractCommand(flags, (text) => process.stdout.write(text));
    });
}

/** The command without commander: runs, prints the table, writes the files; returns the exit code. */
export async function runContractCommand(flags: ContractFlags, write: (text: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const report = await runContract({ ...contractOptions(flags), env });
  write(formatTable(report) + '\n');
  if (flags.junit) await writeFile(flags.junit, renderJunit(report), 'utf8');
  if (flags.reportDir) write(`report ${await writeContractReport(flags.reportDir, report)}\n`);
  return STATUS_EXIT[report.status];
}
