// Every panel of the shipped dashboards, executed as Grafana would (query_range with the dashboard's
// default variables) against a real Prometheus that scraped a real `doubletap run` (HTTP proxy + Kafka
// relay against the demo shop and its payments consumer), two standing proxies (one halted) and the
// shop itself. Each query must return series, and each series must carry the labels its legend uses.
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { startShop, type Shop } from '../../../examples/shop';
import { createTopics } from '../../../src/kafka/admin';
import { silentLogger } from '../../../src/log';
import { runCli, type CliResult } from '../../helpers/cli';
import { DASHBOARDS } from '../../../dashboards/src';
import { dashboardQueries, interpolate } from '../../helpers/dashboard-queries';
import { createTestPostgres, type TestDatabase } from '../../helpers/databases';
import { ensureBroker } from '../../helpers/kafka-broker';
import { freePort, startPrometheus, type TestPrometheus } from '../../helpers/prometheus';
import { runFixture } from '../run/e2e-helpers';

interface Series { metric: Record<string, string>; values: Array<[number, string]> }

async function queryRange(prom: TestPrometheus, expr: string, startS: number, endS: number): Promise<Series[]> {
  const url = `${prom.url}/api/v1/query_range?query=${encodeURIComponent(expr)}&start=${startS}&end=${endS}&step=1`;
  const body = (await (await fetch(url)).json()) as { status: string; error?: string; data?: { result: Series[] } };
  if (body.status !== 'success') throw new Error(`${expr}: ${body.error}`);
  return body.data!.result;
}

async function post(url: string, key: string): Promise<number> {
  const res = await fetch(url, {
    method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify({ sku: 'F-1', amount_cents: 700 }),
  });
  await res.arrayBuffer();
  return res.status;
}

describe('dashboards: every panel query against a real Prometheus', function () {
  this.timeout(240_000);
  const id = randomBytes(3).toString('hex');
  let db: TestDatabase;
  let shop: Shop;
  let prom: TestPrometheus;
  const proxies: CliResult[] = [];
  let startS = 0;
  let endS = 0;

  before(async () => {
    const broker = await ensureBroker();
    const topics = { raw: `dash-raw-${id}`, payments: `dash-payments-${id}` };
    await createTopics(broker.brokers, [topics.raw, topics.payments], silentLogger());
    db = await createTestPostgres();
    shop = await startShop({ port: 0, databaseUrl: db.url, kafka: { brokers: broker.brokers, topic: topics.payments } });
    const control = await freePort();
    const fleetControls = [await freePort(), await freePort()];
    for (const port of fleetControls) {
      proxies.push(await runCli(['proxy', '--upstream', shop.url, '--listen', '127.0.0.1:0', '--control', `127.0.0.1:${port}`,
        '--fraction', '1', '--seed', '3'], { until: /control on http/, timeoutMs: 200_000 }));
    }
    prom = await startPrometheus({
      scrapeInterval: '1s',
      jobs: {
        'doubletap-run': [`127.0.0.1:${control}`],
        'doubletap-proxy': fleetControls.map((p) => `127.0.0.1:${p}`),
        shop: [new URL(shop.url).host],
      },
    });
    startS = Math.floor(Date.now() / 1000);
    // The standing proxies: traffic through both, then the second one is halted.
    for (const [i, p] of proxies.entries()) {
      const url = /listening on (http:\/\/\S+)/.exec(p.stdout)![1]!;
      for (let n = 0; n < 10; n++) expect(await post(`${url}/orders`, `fleet-${id}-${i}-${n}`)).to.equal(201);
    }
    const halt = await fetch(`http://127.0.0.1:${fleetControls[1]}/halt`, { method: 'POST', headers: { 'content-type': 'application/json' } });
    expect(halt.status).to.equal(200);
    // Through the halted replica: forwarded, not duplicated (reason halted).
    const halted = /listening on (http:\/\/\S+)/.exec(proxies[1]!.stdout)![1]!;
    for (let n = 0; n < 3; n++) expect(await post(`${halted}/orders`, `fleet-${id}-halted-${n}`)).to.equal(201);

    const run = await runFixture('dashboard-stack.yaml', {
      CONTROL: String(control), SHOP_URL: shop.url, SHOP_DATABASE_URL: db.url,
      BROKERS: broker.brokers.join(','), RAW_TOPIC: topics.raw, PAYMENTS_TOPIC: topics.payments,
    });
    expect(run.verdict.http.copies, JSON.stringify(run.verdict.http)).to.be.greaterThan(0);
    expect(run.verdict.kafka.copies).to.be.greaterThan(0);
    const page = readFileSync(run.reportFile, 'utf8');
    const from = Date.parse(run.verdict.startedAt) - 60_000;
    expect(page).to.include(`href="http://grafana.test:3000/d/doubletap-experiment/doubletap-experiment?from=${from}&amp;to=`);
    // Two more scrapes of the standing proxies after the run.
    await new Promise((r) => setTimeout(r, 2500));
    endS = Math.ceil(Date.now() / 1000);
  });

  after(async () => {
    for (const p of proxies) p.child.kill('SIGTERM');
    await prom?.stop();
    await shop?.close();
    await db?.drop();
  });

  for (const file of Object.keys(DASHBOARDS)) {
    it(`${file}: each query returns series with its legend's labels`, async () => {
      const windows = { rate: '5s', range: `${endS - startS}s` };
      const problems: string[] = [];
      const queries = dashboardQueries(file);
      for (const q of queries) {
        const expr = interpolate(q.expr, file, windows);
        const series = await queryRange(prom, expr, startS, endS);
        if (series.length === 0) problems.push(`${q.panel} [${q.refId}] returned no series: ${expr}`);
        for (const s of series) {
          const missing = q.labels.filter((l) => s.metric[l] === undefined);
          if (missing.length) problems.push(`${q.panel} [${q.refId}] series ${JSON.stringify(s.metric)} lacks ${missing.join(', ')}`);
        }
      }
      expect(problems, problems.join('\n')).to.deep.equal([]);
      expect(queries.length).to.be.greaterThan(10);
    });
  }

  it('the series say what happened: outcomes, relay kinds, phases, the halted replica', async () => {
    const labels = async (expr: string, label: string) =>
      new Set((await queryRange(prom, expr, startS, endS)).map((s) => s.metric[label]));
    expect([...await labels('sum by (outcome) (doubletap_http_copies_total{job="doubletap-run"})', 'outcome')]).to.include('replayed');
    expect([...await labels('sum by (reason) (doubletap_http_not_duplicated_total{job="doubletap-proxy"})', 'reason')]).to.include('halted');
    expect([...await labels('sum by (kind) (doubletap_kafka_messages_total)', 'kind')]).to.have.members(['original', 'copy']);
    expect([...await labels('max by (phase) (doubletap_run_phase)', 'phase')]).to.have.members(['baseline', 'chaos', 'settle', 'verify', 'done', 'aborted']);
    const halted = await queryRange(prom, 'doubletap_halted == 1', startS, endS);
    expect(halted.map((s) => s.metric.instance)).to.have.length(1);
    // The chaos window annotation: the chaos phase was 1 for about the 8 s window (1 s scrapes).
    const chaos = await queryRange(prom, 'doubletap_run_phase{phase="chaos"} == 1', startS, endS);
    const seconds = chaos.flatMap((s) => s.values).length;
    expect(seconds).to.be.within(5, 12);
  });
});
