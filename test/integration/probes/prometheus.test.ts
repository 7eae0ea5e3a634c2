// prometheus probe against a real Prometheus scraping a real node server with a prom-client counter.
import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import { Counter, Registry } from 'prom-client';
import { ProbeError } from '../../../src/errors';
import { createProbe } from '../../../src/probes';
import { freePort, startPrometheus, type TestPrometheus } from '../../helpers/prometheus';

describe('probes/prometheus against a real Prometheus', function () {
  this.timeout(40_000);
  let server: Server;
  let prom: TestPrometheus;
  const registry = new Registry();
  const hits = new Counter({ name: 'shop_idempotency_hits_total', help: 'dedup hits', labelNames: ['route'], registers: [registry] });

  before(async () => {
    server = createServer((req, res) => {
      void registry.metrics().then((text) => {
        res.setHeader('content-type', registry.contentType);
        res.end(text);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const target = `127.0.0.1:${(server.address() as { port: number }).port}`;
    hits.inc({ route: 'orders' }, 5);
    hits.inc({ route: 'refunds' }, 2);
    prom = await startPrometheus({ scrapeTargets: [target], scrapeInterval: '1s' });
  });
  after(async () => {
    await prom?.stop();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const probe = (query: string, timeout = 3000) => createProbe('dedup', { prometheus: query, url: prom.url, timeout });

  it('reads the counter, and follows it as it grows', async () => {
    await prom.waitForSample('sum(shop_idempotency_hits_total)', 15_000);
    expect(await probe('sum(shop_idempotency_hits_total)').read()).to.equal(7);
    expect(await probe('shop_idempotency_hits_total{route="orders"}').read()).to.equal(5);
    expect(await probe('scalar(sum(shop_idempotency_hits_total))').read()).to.equal(7);
    hits.inc({ route: 'orders' }, 4);
    await prom.waitForSample('sum(shop_idempotency_hits_total)', 15_000, (v) => v === 11);
    expect(await probe('sum(shop_idempotency_hits_total)').read()).to.equal(11);
  });

  it('an empty vector is an error ("no sample"), not 0', async () => {
    try {
      await probe('sum(no_such_metric_total)').read();
      expect.fail('should throw');
    } catch (err) {
      expect(err).to.be.instanceOf(ProbeError);
      expect((err as Error).message).to.match(new RegExp(`^probe dedup: Prometheus 127\\.0\\.0\\.1:\\d+: no sample`));
    }
  });

  it('several samples, a bad query and an unreachable server are errors', async () => {
    const messages: string[] = [];
    const closed = await freePort();
    for (const p of [probe('shop_idempotency_hits_total'), probe('sum(('), createProbe('dedup', { prometheus: 'up', url: `http://127.0.0.1:${closed}`, timeout: 1000 })]) {
      await p.read().then(() => messages.push('no error'), (e: Error) => messages.push(e.message));
    }
    expect(messages[0]).to.match(/2 samples, expected exactly one/);
    expect(messages[1]).to.match(/query failed: .*parse error/);
    expect(messages[2]).to.equal(`probe dedup: Prometheus 127.0.0.1:${closed}: ECONNREFUSED`);
  });
});
