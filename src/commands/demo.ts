// `doubletap demo`: the embedded default. Starts the example shop on an embedded PostgreSQL, runs the
// demo scenario against its naive and its correct variant, and prints them side by side. With Kafka
// brokers (--brokers or DOUBLETAP_KAFKA_BROKERS) it also runs the payment-events relay scenario.
// Exit 0 when every naive run fails and every correct run passes, as they should.
import type { Command } from 'commander';
import { join, resolve } from 'node:path';
import { startShop } from '../../examples/shop';
import { EXIT } from '../errors';
import { createTopics } from '../kafka/admin';
import { createLogger, type Logger } from '../log';
import { runExperiment, type RunResult } from '../run/experiment';
import { formatSideBySide } from '../run/summary';
import { loadScenario } from '../scenario/load';
import { onInterrupt } from './interrupt';

/** scenarios/ ships next to src/ and dist/src/, so it is found from either. */
export function scenariosDir(): string {
  return resolve(__dirname, __dirname.includes(join('dist', 'src')) ? '../../../scenarios' : '../../scenarios');
}

interface DemoFlags {
  reportDir: string;
  duration: string;
  brokers?: string;
  pretty?: boolean;
}

interface DemoRun {
  title: string;
  file: string;
  variant: 'naive' | 'correct';
  env: Record<string, string>;
}

/** The HTTP pair always; the Kafka pair when brokers are given (each variant its own seed: own ids). */
function plan(kafka: { brokers: string; raw: string; payments: string } | undefined): DemoRun[] {
  const runs: DemoRun[] = (['naive', 'correct'] as const).map((variant) => ({ title: variant, file: 'demo-shop.yaml', variant, env: {} }));
  if (kafka) {
    (['naive', 'correct'] as const).forEach((variant, i) =>
      runs.push({
        title: `payments-${variant}`, file: 'demo-payments.yaml', variant,
        env: { DEMO_BROKERS: kafka.brokers, DEMO_PAYMENTS_RAW: kafka.raw, DEMO_PAYMENTS: kafka.payments, DEMO_SEED: String(42 + i) },
      }),
    );
  }
  return runs;
}

async function prepareKafka(brokers: string | undefined, logger: Logger) {
  if (!brokers) return undefined;
  const stamp = Date.now().toString(36);
  const topics = { brokers, raw: `demo.payments.raw.${stamp}`, payments: `demo.payments.${stamp}` };
  await createTopics(brokers.split(','), [topics.raw, topics.payments], logger);
  return topics;
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('catch a real duplicate bug: the example shop, naive vs correct, on an embedded database')
    .option('--report-dir <dir>', 'where the run directories go', 'runs/demo')
    .option('--duration <d>', 'chaos window of each run', '15s')
    .option('--brokers <list>', 'Kafka brokers: also run the payment-events relay scenario', process.env.DOUBLETAP_KAFKA_BROKERS)
    .option('--pretty', 'progress line even when stdout is not a TTY')
    .action(async (flags: DemoFlags, cmd: Command) => {
      const logger = createLogger(cmd.optsWithGlobals().logLevel ?? process.env.DOUBLETAP_LOG_LEVEL ?? 'warn');
      const pretty = Boolean(flags.pretty || process.stdout.isTTY);
      const say = (line: string) => process.stdout.write(line + '\n');
      const started = Date.now();
      const kafka = await prepareKafka(flags.brokers, logger);
      const shop = await startShop({
        port: 0, databaseUrl: process.env.DATABASE_URL, logger,
        kafka: kafka ? { brokers: kafka.brokers.split(','), topic: kafka.payments } : undefined,
      });
      say(`shop on ${shop.url} (${process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded PostgreSQL'}${kafka ? `, Kafka ${kafka.brokers}` : ''})`);
      const interrupt = onInterrupt();
      const results: Array<{ run: DemoRun; result: RunResult }> = [];
      try {
        for (const run of plan(kafka)) {
          if (interrupt.signal.aborted) break;
          const env = { ...process.env, ...run.env, SHOP_URL: shop.url, SHOP_DATABASE_URL: shop.databaseUrl, DEMO_VARIANT: run.variant, DEMO_DURATION: flags.duration };
          const scenario = loadScenario(join(scenariosDir(), run.file), env);
          say(`\n▶ ${scenario.name}: ${run.variant} idempotency, ${flags.duration} of traffic with duplicates…`);
          const result = await runExperiment(scenario, { reportDir: resolve(flags.reportDir, run.title), logger, pretty, env, signal: interrupt.signal });
          say(`  verdict ${result.verdict.status}`);
          results.push({ run, result });
        }
      } finally {
        interrupt.dispose();
        await shop.close();
      }
      say('\n' + formatSideBySide(results.map((r) => ({ title: r.run.title, verdict: r.result.verdict }))));
      for (const r of results) say(`report (${r.run.title}): ${r.result.reportFile}`);
      const expected = plan(kafka).length;
      const asExpected = results.length === expected && results.every((r) => r.result.verdict.status === (r.run.variant === 'naive' ? 'fail' : 'pass'));
      const seconds = Math.round((Date.now() - started) / 1000);
      say(asExpected
        ? `\ndoubletap caught the naive shop's duplicate bugs; the correct shop absorbed every duplicate. (${seconds} s)`
        : `\nunexpected: ${results.map((r) => `${r.run.title} ${r.result.verdict.status}`).join(', ')} (expected every naive run to fail and every correct run to pass)`);
      process.exitCode = asExpected ? EXIT.pass : EXIT.fail;
    });
}
