// Kafka: runs the Kafka engineer's bench/relay.ts in its own process (it starts or reuses the broker)
// and folds its per-variant JSON lines into our results and table.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../lib/proc';

export interface RelayVariant {
  variant: string;
  messages: number;
  copies: number;
  seconds: number;
  messagesPerSecond: number;
  originalsPerSecond: number;
  latencyMs: { p50: number; p99: number };
}

export interface KafkaResult {
  error?: string;
  variants: RelayVariant[];
  /** relay at 0 % / plain kafkajs loop, in originals per second. */
  ratio0?: number;
  ratio10?: number;
  markdown: string[];
}

export function runKafka(smoke: boolean, log: (l: string) => void): Promise<KafkaResult> {
  return new Promise((ok) => {
    const args = ['--import', 'tsx', join(ROOT, 'bench/relay.ts'), ...(smoke ? ['--smoke'] : [])];
    execFile(process.execPath, args, { cwd: ROOT, timeout: smoke ? 120_000 : 600_000, maxBuffer: 16 * 2 ** 20 }, (err, stdout, stderr) => {
      const variants = stdout.split('\n').filter((l) => l.startsWith('{"variant"')).map((l) => JSON.parse(l) as RelayVariant);
      const by = (name: string) => variants.find((v) => v.variant === name);
      const plain = by('plain-kafkajs');
      const r0 = by('relay-0pct');
      const r10 = by('relay-10pct');
      if (err || !plain || !r0 || !r10) {
        const error = `bench/relay.ts failed: ${err?.message ?? 'missing variants'} ${stderr.split('\n').slice(-5).join(' ')}`.trim();
        log(`  kafka: ${error}`);
        return ok({ error, variants, markdown: [] });
      }
      const markdown = [
        `${plain.messages} pre-produced 1 KiB messages drained source → destination (3 partitions); latency from a steady 500 msg/s stream.`, '',
        '| variant | originals/s | vs plain | copies | p50 ms | p99 ms |', '|---|---:|---:|---:|---:|---:|',
        ...variants.map((v) => `| ${v.variant} | ${v.originalsPerSecond} | ${(v.originalsPerSecond / plain.originalsPerSecond).toFixed(2)} | ${v.copies} | ${v.latencyMs.p50} | ${v.latencyMs.p99} |`),
      ];
      const res: KafkaResult = { variants, ratio0: r0.originalsPerSecond / plain.originalsPerSecond, ratio10: r10.originalsPerSecond / plain.originalsPerSecond, markdown };
      for (const v of variants) log(`  ${v.variant}: ${v.originalsPerSecond} originals/s, p50 ${v.latencyMs.p50} ms, p99 ${v.latencyMs.p99} ms`);
      ok(res);
    });
  });
}
