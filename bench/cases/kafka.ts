// Kafka: runs the Kafka engineer's bench/relay.ts in its own process (it starts or reuses the broker)
// and folds its per-variant JSON lines into our results and table.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../lib/proc';

export interface RelayVariant {
  variant: string;
  /** Interleaved round (0 = the first, which also measures latency). */
  round?: number;
  messages: number;
  copies: number;
  seconds: number;
  messagesPerSecond: number;
  originalsPerSecond: number;
  latencyMs?: { p50: number; p99: number };
}

export interface KafkaResult {
  error?: string;
  variants: RelayVariant[];
  /** relay at 0 % / plain kafkajs loop, in originals per second: the median of the rounds' ratios. */
  ratio0?: number;
  /** relay at 10 % / plain loop (median of rounds); ratio10 / ratio0 is the 10 % goal. */
  ratio10?: number;
  /** relay at 10 % / relay at 0 %, median of the rounds' ratios. */
  ratio10vs0?: number;
  /** Each round's ratios, for the report. */
  rounds?: Array<{ ratio0: number; ratio10: number; ratio10vs0: number }>;
  markdown: string[];
}

export function runKafka(smoke: boolean, log: (l: string) => void): Promise<KafkaResult> {
  return new Promise((ok) => {
    const args = ['--import', 'tsx', join(ROOT, 'bench/relay.ts'), ...(smoke ? ['--smoke'] : [])];
    execFile(process.execPath, args, { cwd: ROOT, timeout: smoke ? 120_000 : 600_000, maxBuffer: 16 * 2 ** 20 }, (err, stdout, stderr) => {
      const lines = stdout.split('\n').filter((l) => l.startsWith('{"variant"')).map((l) => JSON.parse(l) as RelayVariant);
      const roundsRun = [...new Set(lines.map((l) => l.round ?? 0))];
      const rounds = roundsRun.flatMap((round) => {
        const by = (name: string) => lines.find((v) => v.variant === name && (v.round ?? 0) === round);
        const [plain, r0, r10] = [by('plain-kafkajs'), by('relay-0pct'), by('relay-10pct')];
        if (!plain || !r0 || !r10) return [];
        return [{ ratio0: r0.originalsPerSecond / plain.originalsPerSecond, ratio10: r10.originalsPerSecond / plain.originalsPerSecond, ratio10vs0: r10.originalsPerSecond / r0.originalsPerSecond }];
      });
      // The table shows the first round (it has the latencies); the goals use the median of the rounds.
      const variants = lines.filter((l) => (l.round ?? 0) === 0);
      const plain = variants.find((v) => v.variant === 'plain-kafkajs');
      if (err || !plain || rounds.length === 0) {
        const error = `bench/relay.ts failed: ${err?.message ?? 'missing variants'} ${stderr.split('\n').slice(-5).join(' ')}`.trim();
        log(`  kafka: ${error}`);
        return ok({ error, variants, markdown: [] });
      }
      const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
      const markdown = [
        `${plain.messages} pre-produced 1 KiB messages drained source → destination (3 partitions), ${rounds.length} interleaved round(s); latency from a steady 500 msg/s stream. The table is the first round; the goals use the median of each round's ratios: ${rounds.map((r) => `×${r.ratio0.toFixed(2)} / ×${r.ratio10vs0.toFixed(2)}`).join(', ')} (0 % vs plain / 10 % vs 0 %).`, '',
        '| variant | originals/s | vs plain | copies | p50 ms | p99 ms |', '|---|---:|---:|---:|---:|---:|',
        ...variants.map((v) => `| ${v.variant} | ${v.originalsPerSecond} | ${(v.originalsPerSecond / plain.originalsPerSecond).toFixed(2)} | ${v.copies} | ${v.latencyMs?.p50 ?? '-'} | ${v.latencyMs?.p99 ?? '-'} |`),
      ];
      const res: KafkaResult = { variants, rounds, ratio0: med(rounds.map((r) => r.ratio0)), ratio10: med(rounds.map((r) => r.ratio10)), ratio10vs0: med(rounds.map((r) => r.ratio10vs0)), markdown };
      for (const v of lines) log(`  [round ${(v.round ?? 0) + 1}] ${v.variant}: ${v.originalsPerSecond} originals/s${v.latencyMs ? `, p50 ${v.latencyMs.p50} ms, p99 ${v.latencyMs.p99} ms` : ''}`);
      ok(res);
    });
  });
}
