// Consumer redelivery vs relay copies, against the real broker and PostgreSQL. Each shop consumer variant
// meets (a) a forced rewind of its own group (the same offsets read again) and (b) relay copies (the
// same message id at new offsets):
//   offset (dedup by partition/offset)  passes (a), fails (b)
//   correct (dedup by message id)       passes both
//   naive                               fails both
import { expect } from 'chai';
import { startShop } from '../../../examples/shop';
import type { PaymentVariant } from '../../../examples/shop/payments-consumer';
import { createTestPostgres } from '../../helpers/databases';
import { ensureBroker, uniqueTopic } from '../../helpers/kafka-broker';
import { readJournalLines, runFixture } from '../run/e2e-helpers';
import { createTopics } from './kafka-util';

async function run(kind: 'redeliver' | 'copies', variant: PaymentVariant, fault = 'rewind') {
  const broker = await ensureBroker();
  const raw = uniqueTopic(`raw-${kind}`);
  const topic = uniqueTopic(`pay-${kind}`);
  await createTopics(broker.brokers, [raw, topic], 1);
  const db = await createTestPostgres();
  const groupPrefix = uniqueTopic('shop');
  const shop = await startShop({ databaseUrl: db.url, kafka: { brokers: broker.brokers, topic, groupPrefix, variants: [variant] } });
  try {
    const result = await runFixture(`kafka-${kind}.yaml`, {
      VARIANT: variant, KIND: fault, GROUP: `${groupPrefix}-${variant}`, RAW: raw, TOPIC: topic, BROKERS: broker.brokers[0], SHOP_DATABASE_URL: db.url,
    }, `kafka-${kind}-${variant}`);
    const stats = (await (await fetch(`${shop.url}/stats`)).json()) as { variants: Record<string, { idempotency: { hits: number } }> };
    return { result, v: result.verdict, entries: readJournalLines(result.runDir), hits: stats.variants[variant]?.idempotency.hits ?? 0 };
  } finally {
    await shop.close();
    await db.drop();
  }
}

describe('forced consumer redelivery vs relay copies (shop consumers, real broker)', function () {
  this.timeout(240_000);

  describe('rewind of the service group (5 messages on its one partition)', () => {
    const expectRewind = (entries: ReturnType<typeof readJournalLines>) => {
      const [r] = entries.filter((e) => e.kind === 'redeliver');
      expect(r, 'a redeliver journal line').to.include({ fault: 'rewind', count: 5 });
      expect(r.partitions).to.have.length(1);
      const [p] = r.partitions!;
      expect(Number(p.to) - Number(p.from)).to.equal(5);
      return r;
    };

    it('offset-dedup consumer passes: the 5 re-read offsets are skipped as dedup hits', async () => {
      const { v, entries, hits } = await run('redeliver', 'offset');
      expectRewind(entries);
      expect(v.kafka.forcedRedeliveries).to.deep.include({ rewinds: 1, messages: 5, skipped: 0 });
      expect(v.probes.payments.delta).to.equal(v.rules.payments.ops);
      expect(hits).to.equal(5);
      expect(v.status, v.reason).to.equal('pass');
    });

    it('message-id-dedup consumer passes', async () => {
      const { v, entries, hits } = await run('redeliver', 'correct');
      expectRewind(entries);
      expect(v.probes.payments.delta).to.equal(v.rules.payments.ops);
      expect(hits).to.equal(5);
      expect(v.status, v.reason).to.equal('pass');
    });

    it('naive consumer fails with exactly the 5 re-read messages applied twice', async () => {
      const { v, entries } = await run('redeliver', 'naive');
      expectRewind(entries);
      expect(v.probes.payments.delta! - v.rules.payments.ops).to.equal(5);
      expect(v.status).to.equal('fail');
    });
  });

  it('rebalance: doubletap joins the group, takes the partition, leaves; journaled, and the service resumes', async () => {
    const { v, entries } = await run('redeliver', 'offset', 'rebalance');
    const [r] = entries.filter((e) => e.kind === 'redeliver');
    expect(r).to.include({ fault: 'rebalance', count: 0 });
    expect(r.partitions!.map((p) => p.partition)).to.deep.equal([0]);
    expect(v.kafka.forcedRedeliveries).to.deep.include({ rebalances: 1, rewinds: 0, skipped: 0 });
    // Every relayed payment was applied once after the partition came back: the group resumed.
    expect(v.probes.payments.delta).to.equal(v.rules.payments.ops);
    expect(v.status, v.reason).to.equal('pass');
  });

  describe('relay copies (30%, same message id, new offsets)', () => {
    it('offset-dedup consumer fails: every copy is applied', async () => {
      const { v } = await run('copies', 'offset');
      expect(v.kafka.copies).to.be.greaterThan(5);
      expect(v.probes.payments.delta! - v.rules.payments.ops).to.equal(v.kafka.copies);
      expect(v.status).to.equal('fail');
    });

    it('message-id-dedup consumer passes: every copy is a dedup hit', async () => {
      const { v, hits } = await run('copies', 'correct');
      expect(v.kafka.copies).to.be.greaterThan(5);
      expect(hits).to.equal(v.kafka.copies);
      expect(v.probes.payments.delta).to.equal(v.rules.payments.ops);
      expect(v.status, v.reason).to.equal('pass');
    });

    it('naive consumer fails', async () => {
      const { v } = await run('copies', 'naive');
      expect(v.probes.payments.delta! - v.rules.payments.ops).to.equal(v.kafka.copies);
      expect(v.status).to.equal('fail');
    });
  });
});
