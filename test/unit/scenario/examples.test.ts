// Every file in scenarios/ is a complete, valid scenario: the examples users copy must never rot.
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenario } from '../../../src/scenario/load';
import type { Scenario } from '../../../src/scenario/schema';

const DIR = join(__dirname, '../../../scenarios');

/** The variables the examples read without a default (secrets via env:NAME are resolved at run time). */
const ENV: NodeJS.ProcessEnv = {
  CHECKOUT_DATABASE_URL: 'postgres://readonly@127.0.0.1:5432/checkout',
  PAYMENTS_DATABASE_URL: 'postgres://readonly@127.0.0.1:5432/payments',
  SHOP_DATABASE_URL: 'postgres://readonly@127.0.0.1:5432/shop',
  ORDERS_DATABASE_URL: 'postgres://readonly@127.0.0.1:5432/orders',
  TEST_DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
  DOUBLETAP_TOKEN: 'test-token',
  DOUBLETAP_APPROVAL: 'approval-token',
};

const load = (file: string, env: NodeJS.ProcessEnv = ENV): Scenario => loadScenario(join(DIR, file), env);

describe('scenarios/ examples', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();

  it('holds the documented examples', () => {
    expect(files).to.include.members(['http-only.yaml', 'kafka-only.yaml', 'http-and-kafka.yaml', 'production-gated.yaml', 'contract-check.yaml', 'demo-shop.yaml']);
  });

  for (const file of files) {
    it(`${file} validates`, () => {
      const s = load(file);
      expect(Object.isFrozen(s)).to.equal(true);
      expect(s.http ?? s.kafka, 'an http or kafka section').to.not.equal(undefined);
      // Every env:NAME secret the file needs at run time is one this test (and the file's header) names.
      for (const [, name] of readFileSync(join(DIR, file), 'utf8').matchAll(/env:([A-Za-z_][A-Za-z0-9_]*)/g)) {
        expect(ENV, `${file} reads env:${name}`).to.have.property(name);
      }
    });
  }

  it('http-only: five fault kinds on create-checkout, SQL + HTTP + Prometheus probes', () => {
    const s = load('http-only.yaml');
    expect(s.name).to.equal('checkout-staging');
    expect(s.seed).to.equal(42);
    expect(s.duration).to.equal(600_000);
    expect(s.http!.upstream).to.equal('http://127.0.0.1:8080');
    const rule = s.http!.rules.find((r) => r.name === 'create-checkout')!;
    expect(rule.faults.map((f) => f.kind)).to.deep.equal(['replay', 'burst', 'lost-reply', 'key-reuse', 'strip-key']);
    expect(rule.fraction).to.equal(0.2);
    expect(Object.keys(s.probes).sort()).to.deep.equal(['dedup_hits', 'emails', 'ledger', 'orders', 'refunds']);
    expect(s.probes.dedup_hits).to.have.property('prometheus');
    expect(s.probes.emails).to.have.property('http', 'http://127.0.0.1:8090/stats');
    // Secrets stay references: the validated scenario never holds the connection string.
    expect(s.probes.orders).to.have.property('url', 'env:CHECKOUT_DATABASE_URL');
    expect(s.invariants).to.have.length(5);
  });

  it('http-only: ${ENV} overrides the defaults, and a seed from the environment stays a number', () => {
    const s = load('http-only.yaml', { ...ENV, SEED: '7', DURATION: '30s', CHECKOUT_URL: 'https://checkout.staging.example' });
    expect(s.seed).to.equal(7);
    expect(s.duration).to.equal(30_000);
    expect(s.http!.upstream).to.equal('https://checkout.staging.example');
    expect(s.health!.url).to.equal('https://checkout.staging.example/healthz');
  });

  it('kafka-only: one relay payments.raw → payments keyed by message-id, no http section', () => {
    const s = load('kafka-only.yaml');
    expect(s.http).to.equal(undefined);
    const relay = s.kafka!.relays[0];
    expect(relay.from).to.deep.equal(['payments.raw']);
    expect(relay.to).to.equal('payments');
    expect(relay.identity).to.deep.equal({ header: 'message-id' });
    expect(relay.delay).to.deep.include({ dist: 'exponential', mean: 500, max: 30_000 });
    expect(s.invariants.every((i) => i.grows_by === 'ops(payments)')).to.equal(true);
  });

  it('http-and-kafka: both sections, a shared budget and a token from the environment', () => {
    const s = load('http-and-kafka.yaml');
    expect(s.http!.rules.map((r) => r.name)).to.deep.equal(['create-order']);
    expect(s.kafka!.relays.map((r) => r.name)).to.deep.equal(['order-events']);
    expect(s.budget).to.deep.equal({ total: 5000, perSecond: 20 });
    expect(s.control.token).to.equal('env:DOUBLETAP_TOKEN');
    expect(s.load!.http[0].url).to.equal('/orders');
    expect(s.load!.http[0].rate).to.equal(10);
  });

  it('production-gated: production gate, tiny fractions, budgets, only keyed requests, replay only', () => {
    const s = load('production-gated.yaml');
    expect(s.gate.environment).to.equal('production');
    expect(s.budget).to.deep.equal({ total: 200, perSecond: 0.5, inFlight: 4 });
    expect(s.control.token).to.equal('env:DOUBLETAP_TOKEN');
    expect(s.gate.stop.conditions.map((c) => c.name)).to.deep.equal(['checkout-error-rate', 'checkout-p99-latency', 'upstream-5xx']);
    expect(s.gate.approval?.token).to.equal('env:DOUBLETAP_APPROVAL');
    expect(s.attach?.proxies).to.have.length(3);
    expect(s.dryRun).to.equal(false);
    expect(s.load).to.equal(undefined);
    for (const rule of s.http!.rules) {
      expect(rule.fraction).to.be.at.most(0.001);
      expect(rule.match.header).to.equal('idempotency-key');
      expect(rule.faults.map((f) => f.kind)).to.deep.equal(['replay']);
    }
  });

  it('contract-check: a short run with key-reuse and strip-key only', () => {
    const s = load('contract-check.yaml');
    expect(s.duration).to.be.at.most(60_000);
    expect(s.seed).to.equal(1);
    const kinds = s.http!.rules.flatMap((r) => r.faults.map((f) => f.kind));
    expect([...new Set(kinds)].sort()).to.deep.equal(['key-reuse', 'strip-key']);
    expect(s.load!.http[0].total).to.equal(200);
  });
});
