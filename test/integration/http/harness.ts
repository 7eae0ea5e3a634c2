// Shared wiring for the proxy tests: a real proxy on port 0 in front of a real upstream, an in-memory
// view of the journal, and a tiny HTTP client that returns status, headers and body bytes.
import http from 'node:http';
import { Budget, type BudgetLimits } from '../../../src/chaos/budget';
import { HaltSwitch } from '../../../src/chaos/halt';
import type { JournalEntry } from '../../../src/journal/types';
import { Journal } from '../../../src/journal/writer';
import { silentLogger } from '../../../src/log';
import { createMetrics, type Metrics } from '../../../src/metrics';
import { httpSection, type HttpSection } from '../../../src/scenario/schema-http';
import { startProxy, type RunningProxy } from '../../../src/http/proxy';

export class MemoryJournal extends Journal {
  readonly entries: JournalEntry[] = [];
  override write(entry: Omit<JournalEntry, 'ts'> & { ts?: string }): void {
    super.write(entry);
    this.entries.push({ ts: new Date().toISOString(), ...entry } as JournalEntry);
  }
  originals(): JournalEntry[] {
    return this.entries.filter((e) => e.kind === 'original');
  }
  copies(): JournalEntry[] {
    return this.entries.filter((e) => e.kind === 'copy');
  }
}

export interface Harness {
  proxy: RunningProxy;
  journal: MemoryJournal;
  /** The journal the proxy writes to (a plain one for load tests, so the test keeps no lines). */
  sink: Journal;
  metrics: Metrics;
  halt: HaltSwitch;
  budget: Budget;
  close(): Promise<void>;
}

export async function startHarness(
  http: Record<string, unknown>,
  opts: { seed?: number; dryRun?: boolean; budget?: BudgetLimits; plainJournal?: boolean; windowClosed?: boolean } = {},
): Promise<Harness> {
  const section: HttpSection = httpSection.parse({ listen: '127.0.0.1:0', ...http });
  const journal = new MemoryJournal();
  const sink = opts.plainJournal ? new Journal() : journal;
  const metrics = createMetrics();
  const halt = new HaltSwitch();
  const budget = new Budget(opts.budget ?? {});
  const proxy = await startProxy({
    http: section, seed: opts.seed ?? 42, dryRun: opts.dryRun ?? false, budget, halt, metrics, journal: sink, logger: silentLogger(),
    windowClosed: opts.windowClosed,
  });
  return { proxy, journal, sink, metrics, halt, budget, close: () => proxy.close(1000) };
}

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  rawHeaders: string[];
  body: Buffer;
  text: string;
}

export function request(
  base: string,
  opts: { method?: string; path?: string; headers?: http.OutgoingHttpHeaders; body?: string | Buffer; agent?: http.Agent } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(base + (opts.path ?? '/orders'), { method: opts.method ?? 'POST', headers: opts.headers, agent: opts.agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode!, headers: res.headers, rawHeaders: res.rawHeaders, body, text: body.toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** Counter value from the registry, for one label set. */
export async function metricValue(metrics: Metrics, name: string, labels: Record<string, string>): Promise<number> {
  const m = await metrics.registry.getSingleMetric(name)!.get();
  const v = m.values.find((x) => Object.entries(labels).every(([k, val]) => x.labels[k] === val));
  return v?.value ?? 0;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function rule(faults: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: 'orders', match: { method: 'POST', path: '/orders' }, fraction: 1, faults, ...extra };
}
