// Load: 20,000 requests, 30% picked, several concurrent keep-alive clients. Every client request gets
// exactly one response, every original reaches the upstream exactly once, copies stay within the
// budget, and memory stays flat between 5k and 20k requests.
import { expect } from 'chai';
import http from 'node:http';
import { startUpstream, type TestUpstream } from '../../helpers/upstreams';
import { metricValue, rule, startHarness, type Harness } from './harness';

const TOTAL = 20_000;
const CLIENTS = 16;
const BUDGET = 5_000;

function post(url: URL, agent: http.Agent, key: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: '/orders', method: 'POST', agent, headers: { 'idempotency-key': key, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('http proxy under load', function () {
  this.timeout(90_000);
  let up: TestUpstream;
  let h: Harness;
  after(async () => {
    await h?.close();
    await up?.close();
  });

  it(`${TOTAL} requests, 30% duplication, ${CLIENTS} clients: exact counts, budget, flat memory`, async () => {
    up = await startUpstream({ mode: 'naive', countOnly: { copyHeader: 'x-copy-id' } });
    h = await startHarness(
      { upstream: up.url, markCopies: 'x-copy-id', rules: [rule([{ kind: 'replay', copies: 1, delay: { dist: 'uniform', min: 0, max: '20ms' } }, { kind: 'burst', copies: 2, within: '5ms' }], { fraction: 0.3 })] },
      { budget: { total: BUDGET }, plainJournal: true },
    );
    const url = new URL(h.proxy.url);
    let next = 0;
    let responses = 0;
    const statuses = new Map<number, number>();
    const memory: Record<number, number> = {};
    const started = Date.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
        while (next < TOTAL) {
          const i = next++;
          const status = await post(url, agent, `load-${i}`, JSON.stringify({ sku: `A-${i}`, amount_cents: 100 + (i % 900) }));
          responses++;
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          if (responses === 5_000 || responses === TOTAL) memory[responses] = process.memoryUsage().heapUsed;
        }
        agent.destroy();
      }),
    );
    const elapsed = Date.now() - started;
    expect(await h.proxy.settle(10_000)).to.equal(true);
    expect(responses).to.equal(TOTAL);
    expect(statuses.get(201)).to.equal(TOTAL);
    expect(up.originalsPerKey.size).to.equal(TOTAL);
    expect([...up.originalsPerKey.values()].every((n) => n === 1)).to.equal(true);
    const copies = h.sink.tally.get('orders').copies;
    expect(up.copiesSeen).to.equal(copies);
    expect(copies).to.be.at.most(BUDGET);
    expect(copies).to.equal(BUDGET); // ~30% × ~1.3 copies of 20k is well above the budget
    const budgetDrops = await metricValue(h.metrics, 'doubletap_http_not_duplicated_total', { reason: 'budget-total' });
    expect(budgetDrops).to.be.greaterThan(0);
    const growthMb = (memory[TOTAL] - memory[5_000]) / 1e6;
    // eslint-disable-next-line no-console
    console.log(`      load: ${TOTAL} requests in ${elapsed} ms (${Math.round(TOTAL / (elapsed / 1000))}/s), copies ${copies}, budget drops ${budgetDrops}, heap 5k→20k ${growthMb.toFixed(1)} MB`);
    expect(growthMb).to.be.lessThan(60);
  });
});
