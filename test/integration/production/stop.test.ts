// Stop conditions against real components: a production run (it passes the gate) through the real
// proxy to a real service, a real Prometheus scraping that service every 500 ms. The service starts
// failing mid-window: the run stops itself (aborted, exit 3), pending copies are cancelled, originals
// keep flowing; trip → last copy sent is measured. Prometheus stopped mid-run → the run halts.
import { expect } from 'chai';
import { resolve } from 'node:path';
import type { JournalEntry } from '../../../src/journal/types';
import { silentLogger } from '../../../src/log';
import { runExperiment, type RunResult } from '../../../src/run/experiment';
import { loadScenario } from '../../../src/scenario/load';
import { startMetricsService, type MetricsService } from '../../helpers/metrics-service';
import { startPrometheus, type TestPrometheus } from '../../helpers/prometheus';
import { fixture as e2eFixture, readJournalLines, tempRunDir } from '../run/e2e-helpers';
import { arming, startStanding } from './standing-helpers';

const GATE_DIR = resolve(__dirname, '..', '..', 'fixtures', 'gate');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function run(name: string, vars: Record<string, string>): Promise<RunResult> {
  const env = { ...process.env, GATE_DIR, DT_APPROVAL: 'approve-me-please-0123', ...vars };
  return runExperiment(loadScenario(e2eFixture(`../production/${name}`), env), { reportDir: tempRunDir(name), logger: silentLogger(), pretty: false, env });
}

function measure(lines: JournalEntry[], svc: MetricsService) {
  const stop = lines.find((l) => l.kind === 'audit' && (l.event === 'stop' || l.event === 'halt'))!;
  const tripMs = Date.parse(stop.ts);
  const copies = lines.filter((l) => l.kind === 'copy');
  const sent = copies.filter((c) => c.outcome !== 'cancelled');
  const lastSentMs = Math.max(...sent.map((c) => Date.parse(c.ts) - (c.durationMs ?? 0)));
  return { stop, tripMs, copies, sent, cancelled: copies.length - sent.length, lastSentMs, lastArrivalMs: Math.max(...svc.copyArrivals) };
}

describe('stop conditions (real proxy, real service, real Prometheus)', function () {
  this.timeout(120_000);
  let svc: MetricsService;
  let prom: TestPrometheus;

  beforeEach(async () => {
    svc = await startMetricsService();
    prom = await startPrometheus({ scrapeTargets: [svc.host], scrapeInterval: '500ms' });
    await prom.waitForSample('sum(svc_requests_total{code="500"})', 20_000);
  });
  afterEach(async () => {
    await prom?.stop();
    await svc?.close();
  });

  it('PromQL above its threshold: aborted with the condition and value, exit 3, no copy sent after the trip', async () => {
    const running = run('stop-prometheus.yaml', { SERVICE_URL: svc.url, PROM_URL: prom.url });
    await sleep(5000);
    const harmMs = svc.startFailing();
    const r = await running;
    const lines = readJournalLines(r.runDir);
    const m = measure(lines, svc);
    expect(r.verdict.status).to.equal('aborted');
    expect(r.exitCode).to.equal(3);
    expect(r.verdict.reason).to.match(/^stop condition error-rate: \d+ above 0$/);
    expect(m.stop.event).to.equal('stop');
    // The gate let it start, and said who approved it.
    const gate = lines.find((l) => l.kind === 'audit' && l.event === 'gate')!;
    expect(gate.decision).to.equal('allowed');
    expect(gate.who).to.equal('alice');
    expect(JSON.stringify(lines)).not.to.contain('approve-me-please');
    // Stopped well before the 20 s window, with copies pending that were cancelled, never sent.
    expect(Date.parse(r.verdict.endedAt) - harmMs).to.be.lessThan(10_000);
    expect(m.cancelled).to.be.greaterThan(0);
    const detectionMs = m.tripMs - harmMs;
    const lastSentAfterTrip = m.lastSentMs - m.tripMs;
    const lastArrivalAfterTrip = m.lastArrivalMs - m.tripMs;
    console.log(`      failure → trip ${detectionMs} ms; trip → last copy sent ${lastSentAfterTrip.toFixed(1)} ms; trip → last copy at the service ${lastArrivalAfterTrip} ms; ${m.sent.length} sent, ${m.cancelled} cancelled`);
    expect(lastSentAfterTrip).to.be.at.most(5); // ms clock granularity; docs/production.md states 0
    expect(lastArrivalAfterTrip).to.be.at.most(1000);
    expect(detectionMs).to.be.at.most(5000); // scrape 500 ms + interval 500 ms + query, on a loaded machine
    // Originals untouched: every request the service got is an original (journaled) or a sent copy.
    const originals = lines.filter((l) => l.kind === 'original').length;
    expect(svc.copyArrivals.length).to.equal(m.sent.filter((c) => c.status !== undefined).length);
    expect(svc.posts).to.equal(originals + svc.copyArrivals.length);
  });

  it('the upstream\'s 5xx ratio as the proxy sees it (no Prometheus needed)', async () => {
    const running = run('stop-5xx.yaml', { SERVICE_URL: svc.url });
    await sleep(4000);
    const harmMs = svc.startFailing();
    const r = await running;
    const m = measure(readJournalLines(r.runDir), svc);
    expect(r.verdict.status).to.equal('aborted');
    expect(r.verdict.reason).to.match(/^stop condition upstream-errors: (0\.\d+|1) above 0\.5$/);
    console.log(`      failure → trip ${m.tripMs - harmMs} ms; trip → last copy sent ${(m.lastSentMs - m.tripMs).toFixed(1)} ms`);
    expect(m.lastSentMs - m.tripMs).to.be.at.most(5);
  });

  it('Prometheus stopped mid-run: unreadable 3 intervals in a row → halt (fail closed)', async () => {
    const running = run('stop-prometheus.yaml', { SERVICE_URL: svc.url, PROM_URL: prom.url });
    await sleep(4000);
    const stoppedMs = Date.now();
    await prom.stop();
    const r = await running;
    const m = measure(readJournalLines(r.runDir), svc);
    expect(r.verdict.status).to.equal('aborted');
    expect(r.exitCode).to.equal(3);
    expect(r.verdict.reason).to.match(/^stop condition error-rate unreadable 3 intervals in a row \(fail closed\): probe stop error-rate: Prometheus 127\.0\.0\.1:\d+: ECONNREFUSED$/);
    expect(m.stop.event).to.equal('halt');
    console.log(`      Prometheus stopped → halt ${m.tripMs - stoppedMs} ms`);
    expect(m.tripMs - stoppedMs).to.be.at.most(6000);
    expect(m.lastSentMs - m.tripMs).to.be.at.most(5);
  });

  it('attached to a standing proxy: the trip disarms it, the run ends aborted', async () => {
    const a = await startStanding(svc.url, 'a');
    try {
      const running = run('stop-attached.yaml', { SERVICE_URL: svc.url, CONTROL_A: a.controlUrl, PROXY_A: a.proxyUrl });
      await sleep(4000);
      expect((await arming(a.controlUrl)).armed).not.to.equal(null);
      const harmMs = svc.startFailing();
      const r = await running;
      const lines = readJournalLines(r.runDir);
      const m = measure(lines, svc);
      expect(r.verdict.status).to.equal('aborted');
      expect(r.verdict.reason).to.match(/^stop condition upstream-errors: (0\.\d+|1) above 0\.5$/);
      expect((await arming(a.controlUrl)).armed).to.equal(null);
      const disarm = lines.find((l) => l.kind === 'audit' && l.event === 'disarm' && l.replica === 'a')!;
      expect(disarm.detail).to.match(/disarmed a: stop condition upstream-errors/);
      console.log(`      failure → trip ${m.tripMs - harmMs} ms; trip → disarmed ${Date.parse(disarm.ts) - m.tripMs} ms; trip → last copy sent ${(m.lastSentMs - m.tripMs).toFixed(1)} ms`);
      expect(Date.parse(disarm.ts) - m.tripMs).to.be.at.most(2000);
      expect(m.lastSentMs).to.be.at.most(Date.parse(disarm.ts) + 5);
    } finally {
      await a.stop();
    }
  });
});
